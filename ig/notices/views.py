"""Privacy-notice pages: the register, a notice with its history, adding and reviewing."""

from __future__ import annotations

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

bp = Blueprint("notices", __name__, url_prefix="/notices")


def _policy() -> NoticesPolicy:
    return current_app.extensions["ig.policies"].notices


@bp.get("/")
@requires("notices.read")
def index() -> Any:
    form = NoticeFilterForm(request.args)
    owners = register.list_owner_choices(get_session())
    filters = filters_from(form, _policy(), owners)
    today = london_today()
    page = register.list_notices(
        get_session(), _policy(), filters, today, page=request.args.get("page", 1, type=int) or 1
    )
    return render_template(
        "notices/index.html", form=form, page=page, rows=notice_rows(page.rows, _policy(), today)
    )


@bp.get("/export.csv")
@requires("notices.read")
def export() -> Any:
    form = NoticeFilterForm(request.args)
    filters = filters_from(form, _policy(), register.list_owner_choices(get_session()))
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
    form.owner_user_id.choices = dict(register.list_owner_choices(get_session()))
    if form.validate_on_submit():
        try:
            notice = service.create_notice(
                get_session(),
                current_actor(),
                _policy(),
                service.NoticeInput(
                    title=form.title.data,
                    service_key=form.service_key.data,
                    owner_user_id=form.owner_user_id.data,
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
            getattr(form, failed.field).errors = [failed.message]
    return render_template("notices/new.html", form=form), 422 if form.errors else 200


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
    form.owner_user_id.choices = dict(register.list_owner_choices(get_session()))
    if form.validate_on_submit():
        details = NoticeDetails(
            form.title.data,
            form.owner_user_id.data,
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
            getattr(form, failed.field).errors = [failed.message]
    return render_template("notices/edit.html", form=form, notice=notice), (
        422 if form.errors else 200
    )
