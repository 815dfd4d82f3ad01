"""Small helpers shared by the auth, web and API tests."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig.audit.models import AuditEntry
from ig.auth.models import LoginAttempt

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def actions(db: Session, record_id: object | None = None) -> list[str]:
    """The audit actions recorded so far (for one record if given), oldest first."""
    query = select(AuditEntry.action).order_by(AuditEntry.seq)
    if record_id is not None:
        query = query.where(AuditEntry.record_id == str(record_id))
    return list(db.scalars(query))


def count_attempts(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(LoginAttempt)) or 0


def without_tokens(html: bytes, *values: str) -> str:
    """``html`` with the CSRF token and the given values blanked, for comparing pages."""
    text = re.sub(r'name="csrf_token"[^>]*value="[^"]*"', 'name="csrf_token"', html.decode())
    text = re.sub(r'value="[^"]*"([^>]*name="csrf_token")', r"\1", text)
    for value in values:
        text = text.replace(value, "VALUE")
    return text
