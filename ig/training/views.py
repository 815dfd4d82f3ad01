"""Training pages: the organisation's compliance and who is overdue, a manager's teams, a
person's record."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)

from ig.audit.service import Page, record
from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today, utcnow
from ig.errors import DomainError, NotFound, ValidationFailed
from ig.people.service import find_staff_by_number, find_staff_for_user, get_staff
from ig.training import import_pages, pages
from ig.training.forms import (
    AsOfForm,
    CompletionForm,
    ExemptionForm,
    OverdueForm,
    StaffCsvForm,
    StaffFilterForm,
)
from ig.training.manager import manager_csv
from ig.training.models import ImportKind
from ig.training.overdue import list_overdue
from ig.training.register import evidence_csv
from ig.training.rules import Basis
from ig.training.service import add_exemption, record_completion

bp = Blueprint("training", __name__, url_prefix="/training")


def _policy() -> Any:
    return current_app.extensions["ig.policies"].training


@bp.get("/")
@requires("training.view_all")
def organisation() -> Any:
    form = AsOfForm(request.args)
    valid = form.validate() if request.args else True
    on = (form.on.data if valid else None) or london_today()
    sort = form.sort.data if valid and form.sort.data else "hierarchy"
    page = pages.organisation(
        get_session(),
        _policy(),
        on,
        london_today(),
        sort,
        request.args.get("page", 1, type=int) or 1,
    )
    return render_template("training/organisation.html", form=form, page=page)


@bp.get("/overdue")
@requires("training.view_all")
def overdue() -> Any:
    form = OverdueForm(request.args)
    if request.args and not form.validate():
        # Nothing matches a refused filter: the page shows why, never another day's pairs.
        return render_template("training/overdue.html", form=form, page=Page([], 1, 1, 0))
    on = form.on.data or london_today()
    basis = Basis(form.basis.data or Basis.AS_RECORDED)
    page = list_overdue(
        get_session(), _policy(), on, basis, request.args.get("page", 1, type=int) or 1
    )
    return render_template("training/overdue.html", form=form, on=on, basis=basis, page=page)


@bp.get("/evidence.csv")
@requires("training.view_all")
def evidence() -> Any:
    form = AsOfForm(request.args)
    if request.args and not form.validate():
        # A file for another date than the one asked for would be evidence of the wrong day.
        raise DomainError(
            "; ".join(
                f"{form[name].label.text}: {message}"
                for name, messages in form.errors.items()
                for message in messages
            )
        )
    on = form.on.data or london_today()
    session = get_session()
    basis = _policy().evidence_basis
    details = {"on": str(on), "basis": basis}
    record(session, current_actor(), "training.evidence_exported", None, None, details)
    session.commit()
    lines = evidence_csv(session, _policy(), on, utcnow(), london_today())
    return _csv_response(lines, f"training-evidence-{on.isoformat()}.csv")


def _csv_response(lines: Any, name: str) -> Response:
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/team")
@requires("training.view_team")
def team() -> Any:
    form = StaffFilterForm(request.args)
    valid = form.validate() if request.args else True
    page = pages.team(
        get_session(),
        current_actor(),
        _policy(),
        london_today(),
        status=(form.status.data if valid else None) or "action",
        search=(form.q.data if valid else None) or "",
        page=request.args.get("page", 1, type=int) or 1,
        up_to_date_page=request.args.get("up_to_date_page", 1, type=int) or 1,
    )
    opened = "up_to_date_page" in request.args
    return render_template("training/team.html", form=form, page=page, opened=opened)


@bp.get("/team.csv")
@requires("training.view_team")
def team_csv() -> Any:
    form = StaffCsvForm(request.args)
    status = (form.status.data if form.validate() else None) or "all"
    session = get_session()
    actor = current_actor()
    scope = pages.scope(session, actor)
    record(session, actor, "training.team_exported", None, None, {"status": status})
    session.commit()
    lines = manager_csv(session, _policy(), london_today(), team_ids=scope, show=status)
    return _csv_response(lines, f"training-status-{london_today().isoformat()}.csv")


@bp.get("/staff/<int:staff_id>")
@requires("training.view_team")
def staff(staff_id: int) -> Any:
    session = get_session()
    person = get_staff(session, staff_id, pages.scope(session, current_actor()))
    record_page = pages.person(session, _policy(), person, london_today())
    return render_template("training/person.html", page=record_page, own=False)


@bp.get("/due/<int:staff_id>")
@requires("training.view_own")
def due(staff_id: int) -> Any:
    """Where a training reminder leads: the person's own record, or for their manager the
    record in the team's view. Anyone else gets the same not-found as a wrong id."""
    session = get_session()
    own = find_staff_for_user(session, current_actor().user_id)
    if own is not None and own.id == staff_id:
        return redirect(url_for("training.mine"))
    if not current_actor().can("training.view_team"):
        raise NotFound("There is no such member of staff, or they are not in one of your teams")
    get_staff(session, staff_id, pages.scope(session, current_actor()))
    return redirect(url_for("training.staff", staff_id=staff_id))


@bp.get("/me")
@requires("training.view_own")
def mine() -> Any:
    session = get_session()
    person = find_staff_for_user(session, current_actor().user_id)
    record_page = pages.person(session, _policy(), person, london_today()) if person else None
    return render_template("training/person.html", page=record_page, own=True)


@bp.route("/completions/new", methods=["GET", "POST"])
@requires("training.record")
def new_completion() -> Any:
    form = CompletionForm(staff_number=request.args.get("staff_number", ""))
    form.course_code.choices = pages.course_choices(_policy())
    if form.validate_on_submit() and form.completed_on.data:
        session = get_session()
        try:
            person = _staff_by_number(form.staff_number.data)
            record_completion(
                session,
                current_actor(),
                person,
                form.course_code.data,
                form.completed_on.data,
                london_today(),
                policy=_policy(),
            )
            session.commit()
            flash(f"Completion recorded for {person.name}")
            return redirect(url_for("training.staff", staff_id=person.id))
        except ValidationFailed as error:
            getattr(form, error.field).errors = [error.message]
    status = 422 if request.method == "POST" else 200
    return render_template("training/completion_form.html", form=form), status


@bp.route("/exemptions/new", methods=["GET", "POST"])
@requires("training.record")
def new_exemption() -> Any:
    form = ExemptionForm(staff_number=request.args.get("staff_number", ""))
    form.course_code.choices = pages.course_choices(_policy())
    if form.validate_on_submit() and form.starts_on.data and form.ends_on.data:
        session = get_session()
        try:
            person = _staff_by_number(form.staff_number.data)
            add_exemption(
                session,
                current_actor(),
                person,
                form.course_code.data,
                form.reason.data,
                form.starts_on.data,
                form.ends_on.data,
                policy=_policy(),
            )
            session.commit()
            flash(f"Exemption added for {person.name}")
            return redirect(url_for("training.staff", staff_id=person.id))
        except ValidationFailed as error:
            getattr(form, error.field).errors = [error.message]
    status = 422 if request.method == "POST" else 200
    return render_template("training/exemption_form.html", form=form), status


def _staff_by_number(number: str) -> Any:
    person = find_staff_by_number(get_session(), number)
    if person is None:
        raise ValidationFailed("staff_number", f"No member of staff has the number {number!r}")
    return person


@bp.route("/imports/new", methods=["GET", "POST"])
@requires("training.record")
def new_import() -> Any:
    return import_pages.upload(ImportKind.COMPLETIONS, "training.show_import")


@bp.get("/imports/<int:import_id>")
@requires("training.record")
def show_import(import_id: int) -> Any:
    return import_pages.show(ImportKind.COMPLETIONS, import_id, "training.decide_import")


@bp.post("/imports/<int:import_id>")
@requires("training.record")
def decide_import(import_id: int) -> Any:
    return import_pages.decide(ImportKind.COMPLETIONS, import_id, "training.show_import")
