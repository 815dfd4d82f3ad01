"""The page listing the other ig records that name a request's requester."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template

from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today, utcnow
from ig.errors import ValidationFailed
from ig.rights.namesakes import find_records_naming
from ig.rights.presenter import rows_of
from ig.rights.records import get_request
from ig.rights.views import bp


@bp.get("/<int:request_id>/records")
@requires("rights.manage")
def records_naming(request_id: int) -> Any:
    """Search ig's own registers for the requester's identifier (audited) and list them."""
    session, actor = get_session(), current_actor()
    item = get_request(session, request_id)
    try:
        found, problem = find_records_naming(session, actor, item, utcnow()), ""
    except ValidationFailed as failed:
        found, problem = None, failed.message
    session.commit()  # the searches are audited
    row = rows_of([item], current_app.extensions["ig.policies"].rights, london_today())[0]
    return render_template("rights/records.html", item=item, row=row, found=found, problem=problem)
