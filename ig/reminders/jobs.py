"""The scheduled jobs: the reminder pass and the delivery, each in its own transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from sqlalchemy import select

from ig.db import Database
from ig.policies import Policies
from ig.reminders.delivery import DeliveryResult, deliver
from ig.reminders.engine import PassResult, cancel_stale, run_pass
from ig.reminders.models import ReminderRun
from ig.settings import SmtpSettings


@dataclass(frozen=True)
class ReminderJobs:
    """What the scheduler runs; each job takes ``now`` so that tests control the clock.

    ``context`` wraps each job (the application's context in the scheduler), so that
    the registers' services read the running application's policies.
    """

    database: Database
    policies: Policies
    smtp: SmtpSettings
    context: Callable[[], AbstractContextManager[object]] = nullcontext

    def run_pass(self, now: dt.datetime) -> PassResult:
        """One reminder pass, committed as a whole or not at all."""
        with self.context(), self.database.session_scope() as session:
            return run_pass(session, self.policies.reminders, now)

    def deliver(self, now: dt.datetime) -> DeliveryResult:
        """Cancel what no longer applies, then send what is due."""
        with self.context(), self.database.session_scope() as session:
            cancel_stale(session, self.policies.reminders, now)
            session.commit()
            return deliver(session, self.policies.reminders, self.smtp, now)

    def last_pass_at(self) -> dt.datetime | None:
        """When the last pass ran (as of), so a missed one can be caught up."""
        with self.database.session_scope() as session:
            return session.scalar(
                select(ReminderRun.as_of)
                .where(ReminderRun.kind == "pass")
                .order_by(ReminderRun.as_of.desc())
                .limit(1)
            )
