"""Linking a DPIA to the processing activities and information assets it assesses."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, url_for

from ig.auth.access import current_actor, requires
from ig.db import get_session, utcnow
from ig.dpia import record_links, service
from ig.dpia.forms import ActivityLinkForm, AssetLinkForm, ButtonForm
from ig.dpia.pages import show_error
from ig.dpia.views import bp
from ig.errors import ValidationFailed
from ig.people.picker_views import suggestions


@bp.post("/<int:dpia_id>/activities")
@requires("dpia.manage")
def link_activity(dpia_id: int) -> Any:
    form = ActivityLinkForm()
    return _link(dpia_id, record_links.ACTIVITY, form, form.activity.data)


@bp.post("/<int:dpia_id>/assets")
@requires("dpia.manage")
def link_asset(dpia_id: int) -> Any:
    form = AssetLinkForm()
    return _link(dpia_id, record_links.ASSET, form, form.asset.data)


@bp.get("/activities/search")
@requires("dpia.manage")
def activity_suggestions() -> Any:
    """Activities by name, for the link form's autocomplete: for those who link them only."""
    return suggestions(record_links.ACTIVITY.picker)


@bp.get("/assets/search")
@requires("dpia.manage")
def asset_suggestions() -> Any:
    """Assets by name, for the link form's autocomplete: for those who link them only."""
    return suggestions(record_links.ASSET.picker)


@bp.post("/<int:dpia_id>/activities/<int:record_id>/unlink")
@requires("dpia.manage")
def unlink_activity(dpia_id: int, record_id: int) -> Any:
    return _unlink(dpia_id, record_links.ACTIVITY, record_id)


@bp.post("/<int:dpia_id>/assets/<int:record_id>/unlink")
@requires("dpia.manage")
def unlink_asset(dpia_id: int, record_id: int) -> Any:
    return _unlink(dpia_id, record_links.ASSET, record_id)


def _link(dpia_id: int, kind: record_links.Kind, form: Any, text: str | None) -> Any:
    dpia = service.get_dpia(get_session(), dpia_id)
    if form.validate_on_submit():
        try:
            record_links.link_record(
                get_session(), current_actor(), kind, dpia.id, text or "", utcnow()
            )
            get_session().commit()
            return redirect(url_for("dpia.show", dpia_id=dpia.id))
        except ValidationFailed as failed:
            show_error(form, failed)
    heading = f"Link {'an' if kind.noun[0] in 'aeiou' else 'a'} {kind.noun}"
    return render_template(
        "dpia/form.html", form=form, dpia=dpia, heading=heading, caption=dpia.title
    ), 422


def _unlink(dpia_id: int, kind: record_links.Kind, record_id: int) -> Any:
    if not ButtonForm().validate_on_submit():
        abort(400)
    record_links.unlink_record(get_session(), current_actor(), kind, dpia_id, record_id, utcnow())
    get_session().commit()
    return redirect(url_for("dpia.show", dpia_id=dpia_id))
