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

KINDS = {"activities": record_links.ACTIVITY, "assets": record_links.ASSET}
FORMS = {"activities": ActivityLinkForm, "assets": AssetLinkForm}
HEADINGS = {"activities": "Link a processing activity", "assets": "Link an information asset"}


@bp.post("/<int:dpia_id>/<any(activities, assets):kind>")
@requires("dpia.manage")
def link_record(dpia_id: int, kind: str) -> Any:
    dpia = service.get_dpia(get_session(), dpia_id)
    form = FORMS[kind]()
    if form.validate_on_submit():
        text = getattr(form, KINDS[kind].name).data
        try:
            record_links.link_record(
                get_session(), current_actor(), KINDS[kind], dpia.id, text, utcnow()
            )
            get_session().commit()
            return redirect(url_for("dpia.show", dpia_id=dpia.id))
        except ValidationFailed as failed:
            show_error(form, failed)
    return render_template(
        "dpia/form.html", form=form, dpia=dpia, heading=HEADINGS[kind], caption=dpia.title
    ), 422


@bp.post("/<int:dpia_id>/<any(activities, assets):kind>/<int:record_id>/unlink")
@requires("dpia.manage")
def unlink_record(dpia_id: int, kind: str, record_id: int) -> Any:
    if not ButtonForm().validate_on_submit():
        abort(400)
    record_links.unlink_record(
        get_session(), current_actor(), KINDS[kind], dpia_id, record_id, utcnow()
    )
    get_session().commit()
    return redirect(url_for("dpia.show", dpia_id=dpia_id))
