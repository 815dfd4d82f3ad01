"""Recertification pages: a line manager keeps or removes each person's access."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for

from ig.access import register
from ig.access.forms import RecertifyForm
from ig.access.policy import AccessPolicy
from ig.access.recertification import recertify_access, to_recertify
from ig.access.views import bp
from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today, utcnow


def _policy() -> AccessPolicy:
    return current_app.extensions["ig.policies"].access


@bp.get("/recertify")
@requires("home.view")
def recertify_list() -> Any:
    """The signed-in manager's staff's access due for recertification, oldest first."""
    session, user_id = get_session(), current_actor().user_id
    where = to_recertify(session, user_id, london_today())
    page = register.list_requests(session, where, request.args.get("page", 1, type=int) or 1)
    return render_template(
        "access/recertify.html",
        page=page,
        levels=_policy().levels,
        form=RecertifyForm(formdata=None),
        every_months=_policy().recertify_every_months,
    )


@bp.post("/<int:request_id>/recertify")
@requires("home.view")
def recertify(request_id: int) -> Any:
    form = RecertifyForm()
    if not form.validate_on_submit():
        abort(400)
    recertify_access(
        get_session(),
        current_actor(),
        _policy(),
        request_id,
        form.decision.data == "keep",
        utcnow(),
    )
    get_session().commit()
    return redirect(url_for("access.recertify_list"))
