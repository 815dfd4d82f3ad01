"""Privacy-notice pages: the register, a notice with its history, adding and reviewing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)

from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today, utcnow
from ig.errors import ValidationFailed
from ig.notices import register, service
from ig.notices.details import NoticeDetails, update_notice
from ig.notices.export import notices_csv
from ig.notices.forms import EditNoticeForm, NoticeFilterForm, NoticeForm, ReviewForm
from ig.notices.models import Audience, ReviewOutcome
from ig.notices.policy import NoticesPolicy
from ig.notices.presenter import filters_from, notice_rows, review_input
from ig.people import pickers
from ig.people.picker_views import filter_id, picked_from, picked_in, suggestions

bp = Blueprint("notices", __name__, url_prefix="/notices")


def _policy() -> NoticesPolicy:
    return current_app.extensions["ig.policies"].notices


def _filters() -> tuple[NoticeFilterForm, register.NoticeFilter, pickers.Picked]:
    form = NoticeFilterForm(request.args)
    filters = filters_from(form, _policy())
    if form.errors:
        return form, filters, pickers.Picked(form.owner_name.data or "")
    owner = picked_from(pickers.USERS, form.owner_name, form.owner, scope=register.owner_ids())
    return form, replace(filters, owner_user_id=filter_id(owner)), owner


@bp.get("/")
@requires("notices.read")
def index() -> Any:
    form, filters, owner = _filters()
    today = london_today()
    page = register.list_notices(
        get_session(), _policy(), filters, today, page=request.args.get("page", 1, type=int) or 1
    )
    rows = notice_rows(page.rows, _policy(), today)
    return render_template("notices/index.html", form=form, owner=owner, page=page, rows=rows)


@bp.get("/owners/search")
@requires("notices.read")
def owner_suggestions() -> Any:
    """The notices' owners, for the register's owner filter."""
    return suggestions(pickers.USERS, register.owner_ids())


@bp.get("/people/search")
@requires("notices.manage")
def people_suggestions() -> Any:
    """Active users, for a notice's owner: those who may add and edit notices only."""
    return suggestions(pickers.USERS)


def _owner(form: NoticeForm | EditNoticeForm, current: int | None = None) -> pickers.Picked:
    return picked_in(
        pickers.USERS,
        form.owner_name,
        form.owner_user_id,
        current=current,
        required="Enter the notice's owner",
    )


def _refused(form: NoticeForm | EditNoticeForm, failed: ValidationFailed) -> None:
    name = "owner_name" if failed.field == "owner_user_id" else failed.field
    getattr(form, name).errors = [failed.message]


@bp.get("/export.csv")
@requires("notices.read")
def export() -> Any:
    _form, filters, _owner_picked = _filters()
    today = london_today()
    notices = register.export_notices(get_session(), _policy(), filters, today)
    return Response(
        notices_csv(notices, _policy(), today),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename=privacy-notices-{today.isoformat()}.csv"
        },
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("notices.manage")
def new() -> Any:
    form = NoticeForm()
    form.service_key.choices = {"": "Select a service", **_policy().services}
    valid = form.validate_on_submit()
    owner = _owner(form)
    if valid and not form.errors:
        try:
            notice = service.create_notice(
                get_session(),
                current_actor(),
                _policy(),
                service.NoticeInput(
                    title=form.title.data,
                    service_key=form.service_key.data,
                    owner_user_id=form.owner_user_id.data or 0,  # 0: none (refused)
                    published_url=form.published_url.data,
                    audience=Audience(form.audience.data),
                    processing=form.processing.data,
                    text=form.text.data,
                    effective_on=form.effective_on.data,
                    approved_by=form.approved_by.data,
                ),
                utcnow(),
            )
            get_session().commit()
            return redirect(url_for("notices.show", notice_id=notice.id))
        except ValidationFailed as failed:
            _refused(form, failed)
    return render_template("notices/new.html", form=form, owner=owner), (
        422 if form.errors else 200
    )


@bp.get("/<int:notice_id>")
@requires("notices.read")
def show(notice_id: int) -> Any:
    notice = service.get_notice(get_session(), notice_id)
    row = notice_rows([notice], _policy(), london_today())[0]
    return render_template(
        "notices/show.html",
        notice=notice,
        row=row,
        can_review=service.can_review(current_actor(), notice),
    )


@bp.route("/<int:notice_id>/review", methods=["GET", "POST"])
@requires("notices.read")
def review(notice_id: int) -> Any:
    notice = service.get_notice(get_session(), notice_id)
    if not service.can_review(current_actor(), notice):
        abort(403)
    form = ReviewForm(data={"version": notice.version, "outcome": ReviewOutcome.NO_CHANGE.value})
    if form.validate_on_submit():
        try:
            service.review_notice(
                get_session(),
                current_actor(),
                _policy(),
                notice.id,
                review_input(form),
                form.version.data,
                utcnow(),
            )
            get_session().commit()
            return redirect(url_for("notices.show", notice_id=notice.id))
        except ValidationFailed as failed:
            getattr(form, failed.field).errors = [failed.message]
    return render_template("notices/review.html", form=form, notice=notice), (
        422 if form.errors else 200
    )


@bp.route("/<int:notice_id>/edit", methods=["GET", "POST"])
@requires("notices.manage")
def edit(notice_id: int) -> Any:
    notice = service.get_notice(get_session(), notice_id)
    form = EditNoticeForm(obj=notice)
    valid = form.validate_on_submit()
    owner = _owner(form, current=notice.owner_user_id)
    if valid and not form.errors:
        details = NoticeDetails(
            form.title.data,
            form.owner_user_id.data or 0,
            form.published_url.data,
            Audience(form.audience.data),
            form.processing.data,
        )
        try:
            update_notice(
                get_session(), current_actor(), notice.id, details, form.version.data, utcnow()
            )
            get_session().commit()
            return redirect(url_for("notices.show", notice_id=notice.id))
        except ValidationFailed as failed:
            _refused(form, failed)
    return render_template("notices/edit.html", form=form, notice=notice, owner=owner), (
        422 if form.errors else 200
    )
