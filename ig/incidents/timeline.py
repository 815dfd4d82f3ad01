"""An incident's timeline and audit trail, written together in one step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.incidents.models import Incident
from ig.incidents.timeline_models import TimelineEntry


def log_event(
    session: Session,
    actor: Actor,
    incident: Incident,
    event: str,
    summary: str,
    now: dt.datetime,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Add to the incident's timeline and the audit trail in one step (never sensitive text)."""
    session.add(
        TimelineEntry(
            incident=incident, at=now, actor_label=actor.label, event=event, summary=summary
        )
    )
    record(session, actor, f"incident.{event}", "incident", incident.reference, detail, at=now)


# The entries whose detail carries the incident's status (a code), so that the report
# reads whether it had been withdrawn or found a duplicate as recorded then.
STATUS_EVENTS = ("incident.reported", "incident.triaged", "incident.withdrawn",
                 "incident.duplicate", "incident.reopened")  # fmt: skip


def status_detail(incident: Incident) -> dict[str, Any]:
    """The audit detail that records the incident's status (see STATUS_EVENTS)."""
    return {"status": incident.status.value}
