"""Demo reminders: one pass over the demo data, so notifications and the outbox have content."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ig.reminders.engine import run_pass
from ig.reminders.policy import RemindersPolicy


def load_reminders_demo(session: Session, policy: RemindersPolicy, now: dt.datetime) -> int:
    """Run a reminder pass as of ``now``; returns how many reminders it queued."""
    return run_pass(session, policy, now).queued_count
