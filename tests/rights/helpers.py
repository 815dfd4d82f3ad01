"""Shared set-up for the information rights tests: actors and a logged request."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.audit.models import AuditEntry
from ig.auth.rules import Actor
from ig.rights import service
from tests.factories import make_user

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
TEAM = frozenset({"rights.log", "rights.read", "rights.manage"})


def actor(db: Session, *permissions: str, role: str = "information_rights_officer") -> Actor:
    user = make_user(db, roles=(role,))
    return Actor(user.id, user.email, frozenset({role}), frozenset(permissions or TEAM))


def request_input(**fields: Any) -> service.RequestInput:
    values: dict[str, Any] = {
        "type_key": "subject_access",
        "received_on": dt.date(2026, 11, 2),
        "channel": "email",
        "requester_name": "Jo Bloggs",
        "requester_identifier": "CASE-1234",
        "requester_contact": "jo@example.org",
        "summary": "All records held about me by adult social care",
    }
    return service.RequestInput(**{**values, **fields})


def audit_actions(db: Session, request_id: int) -> list[str]:
    return list(
        db.scalars(
            select(AuditEntry.action)
            .where(
                AuditEntry.record_type == "rights_request",
                AuditEntry.record_id == str(request_id),
            )
            .order_by(AuditEntry.seq)
        )
    )
