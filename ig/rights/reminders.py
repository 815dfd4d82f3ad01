"""Rights deadlines as a reminder source: the information rights team is told before a
request's deadline, and the IG officer when it is overdue (policies/reminders.toml)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, Select, String, cast, literal, null, select
from sqlalchemy.orm import Session

from ig.reminders.policy import Rule
from ig.rights.models import RequestStatus, RightsRequest


def deadline_due(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Requests whose clock is running, by their deadline. A paused clock is left out
    (Art. 12A: the deadline moves while it stands still); the key changes whenever the
    deadline moves, so a pause or an extension re-times the reminders. The title names
    the kind and reference only: no requester."""
    request_id = cast(RightsRequest.id, String)
    return select(
        literal("rights_request").label("record_type"),
        request_id.label("record_id"),
        RightsRequest.due_on.label("due"),
        cast(RightsRequest.due_on, String).label("due_key"),
        ("Information rights request " + request_id + " (" + RightsRequest.type_key + ")").label(
            "title"
        ),
        ("/rights/" + request_id).label("link"),
        cast(null(), Integer).label("owner_user_id"),
        cast(null(), String).label("owner_email"),
        cast(null(), Integer).label("team_id"),
    ).where(RightsRequest.status == RequestStatus.OPEN)
