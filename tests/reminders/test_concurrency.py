"""Two passes at once, on separate connections, queue and send each reminder once."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ig.auth.models import User, UserRole
from ig.db import Database
from ig.notices.models import Audience, PrivacyNotice
from ig.reminders.delivery import deliver
from ig.reminders.engine import run_pass
from ig.reminders.models import Reminder, ReminderRun
from tests.factories import make_user
from tests.reminders.conftest import DUE
from tests.reminders.test_engine import at

NOW = at(DUE - dt.timedelta(days=3))


@pytest.fixture
def committed_notice(engine: Engine) -> Iterator[PrivacyNotice]:
    """A notice and its owner committed for real (the passes run on other connections)."""
    with Session(engine, expire_on_commit=False) as session:
        last_run = session.scalar(select(func.max(ReminderRun.id))) or 0
        owner = make_user(session, roles=("manager",))
        notice = PrivacyNotice(
            title="Concurrency notice",
            service_key="carers",
            owner_user_id=owner.id,
            published_url="https://eastmere.example/p",
            audience=Audience.PUBLIC,
            processing="p",
            current_version=1,
            effective_on=dt.date(2026, 1, 10),
            approved_by="DPO",
            review_interval_months=12,
            next_review_on=DUE,
        )
        session.add(notice)
        session.commit()
    yield notice
    with Session(engine) as session:
        session.execute(
            delete(Reminder).where(
                Reminder.record_id == str(notice.id), Reminder.record_type == "privacy_notice"
            )
        )
        session.execute(delete(ReminderRun).where(ReminderRun.id > last_run))
        session.execute(delete(PrivacyNotice).where(PrivacyNotice.id == notice.id))
        session.execute(delete(UserRole).where(UserRole.user_id == owner.id))
        session.execute(delete(User).where(User.id == owner.id))
        session.commit()


def in_parallel(work, count: int = 2) -> list[object]:
    """Run ``work(index)`` in ``count`` threads released together; re-raise any error."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work(index)
        except BaseException as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


def reminders_for(engine: Engine, notice: PrivacyNotice) -> list[Reminder]:
    with Session(engine) as session:
        return list(
            session.scalars(
                select(Reminder).where(
                    Reminder.record_type == "privacy_notice", Reminder.record_id == str(notice.id)
                )
            )
        )


def test_two_concurrent_passes_queue_each_reminder_once(engine, policies, committed_notice):
    def one_pass(_index: int) -> int:
        with Session(engine) as session:
            result = run_pass(session, policies.reminders, NOW)
            session.commit()
            mine = session.scalars(
                select(Reminder.id).where(Reminder.record_id == str(committed_notice.id))
            ).all()
            return len(set(mine) & set(result.queued["notice_review_due"]))

    queued = in_parallel(one_pass)
    assert sorted(queued) == [0, 1]
    assert len(reminders_for(engine, committed_notice)) == 1


def test_two_concurrent_deliveries_send_each_reminder_once(
    engine, policies, committed_notice, smtp_server
):
    with Session(engine) as session:
        run_pass(session, policies.reminders, NOW)
        session.commit()

    def one_delivery(_index: int) -> int:
        # Sessions as the application makes them (objects are not expired on commit).
        with Database(engine).session_factory() as session:
            return deliver(session, policies.reminders, smtp_server.settings, NOW).sent

    in_parallel(one_delivery)
    (reminder,) = reminders_for(engine, committed_notice)
    sent_to_owner = [
        m for m in smtp_server.messages if m["Message-ID"].strip() == reminder.message_id
    ]
    assert len(sent_to_owner) == 1
