"""Rights deadlines as reminder sources: a request's handler (or, while it has none, the
information rights team) is told before its deadline, and the IG officer when it is
overdue; each information asset owner asked to search is told before the request's
deadline (policies/reminders.toml)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, Select, String, cast, literal, null, select
from sqlalchemy.orm import Session

from ig.reminders.policy import Rule
from ig.rights.models import RequestStatus, RightsRequest, RightsTask, TaskStatus


def _deadlines(handled: bool) -> Select:
    """Requests whose clock is running, by their deadline: those with a handler (the
    owner) or those without. A paused clock is left out (Art. 12A: the deadline moves
    while it stands still); the key changes whenever the deadline moves, so a pause or
    an extension re-times the reminders. The title names the kind and reference only:
    no requester."""
    request_id = cast(RightsRequest.id, String)
    handler = RightsRequest.handler_user_id
    return select(
        literal("rights_request").label("record_type"),
        request_id.label("record_id"),
        RightsRequest.due_on.label("due"),
        cast(RightsRequest.due_on, String).label("due_key"),
        ("Information rights request " + request_id + " (" + RightsRequest.type_key + ")").label(
            "title"
        ),
        ("/rights/" + request_id).label("link"),
        handler.label("owner_user_id"),
        cast(null(), String).label("owner_email"),
        cast(null(), Integer).label("team_id"),
    ).where(
        RightsRequest.status == RequestStatus.OPEN,
        handler.is_not(None) if handled else handler.is_(None),
    )


def deadline_due(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Running deadlines of requests with a handler, who is the one reminded."""
    return _deadlines(handled=True)


def unassigned_deadline_due(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Running deadlines of requests nobody handles yet: the whole team is reminded."""
    return _deadlines(handled=False)


def task_due(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Open searches, by their request's deadline, to the asset's owner asked. The key
    follows the deadline, so a pause or an extension re-times the reminders; the title
    names the request's reference only: no requester, no asset."""
    task_id = cast(RightsTask.id, String)
    request_id = cast(RightsRequest.id, String)
    return (
        select(
            literal("rights_task").label("record_type"),
            task_id.label("record_id"),
            RightsRequest.due_on.label("due"),
            cast(RightsRequest.due_on, String).label("due_key"),
            ("Search your systems for information rights request " + request_id).label("title"),
            ("/rights/tasks/" + task_id).label("link"),
            RightsTask.owner_user_id.label("owner_user_id"),
            cast(null(), String).label("owner_email"),
            cast(null(), Integer).label("team_id"),
        )
        .join(RightsRequest, RightsRequest.id == RightsTask.request_id)
        .where(RightsTask.status == TaskStatus.OPEN, RightsRequest.status == RequestStatus.OPEN)
    )
