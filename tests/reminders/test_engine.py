"""The reminder pass: each rule queues what it should at the right times and nothing else."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from ig.auth.rules import Actor
from ig.notices import service as notices
from ig.notices.models import ReviewOutcome
from ig.reminders import engine
from ig.reminders.engine import run_pass
from ig.reminders.models import Reminder, ReminderStatus
from ig.reminders.policy import Rule
from tests.factories import make_notice, make_user
from tests.reminders.conftest import DUE, staff_setup, with_rules


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def about(db, record_type, record_id, status=None):
    query = select(Reminder).where(
        Reminder.record_type == record_type, Reminder.record_id == str(record_id)
    )
    if status is not None:
        query = query.where(Reminder.status == status)
    return db.scalars(query.order_by(Reminder.id)).all()


def keys(reminders):
    return {(r.recipient_key, r.stage) for r in reminders}


@pytest.fixture
def officers(db):
    return [make_user(db, roles=("ig_officer",)) for _ in range(2)]


def test_notice_review_rule_over_time(db, policies, officers):
    owner = make_user(db, roles=("manager",))
    notice = make_notice(db, owner=owner)
    me = f"user:{owner.id}"
    ig_team = {(f"user:{u.id}", "escalated") for u in officers}
    expected = [
        (DUE - dt.timedelta(days=31), set()),
        (DUE - dt.timedelta(days=30), {(me, "before-30")}),
        (DUE - dt.timedelta(days=8), set()),
        (DUE - dt.timedelta(days=7), {(me, "before-7")}),
        (DUE, set()),
        (DUE + dt.timedelta(days=1), {(me, "overdue")}),
        (DUE + dt.timedelta(days=2), set()),
        (DUE + dt.timedelta(days=15), {(me, "overdue")} | ig_team),
    ]
    seen: set[int] = set()
    for day, wanted in expected:
        run_pass(db, policies.reminders, at(day))
        new = [r for r in about(db, "privacy_notice", notice.id) if r.id not in seen]
        assert {k for k in keys(new) if k[0] == me or k in ig_team} == wanted, day
        seen |= {r.id for r in new}
    # Each reminder queued exactly once, by a pass that ran on its day.
    assert len(seen) == len(about(db, "privacy_notice", notice.id))


def test_a_second_pass_queues_nothing(db, policies):
    notice = make_notice(db)
    first = run_pass(db, policies.reminders, at(DUE - dt.timedelta(days=3)))
    second = run_pass(db, policies.reminders, at(DUE - dt.timedelta(days=3), hour=15))
    assert len(about(db, "privacy_notice", notice.id)) == 1
    assert first.queued_count >= 1
    assert second.queued_count == 0


def test_reviewing_the_notice_cancels_its_pending_reminder(db, policies):
    owner = make_user(db, roles=("manager",))
    notice = make_notice(db, owner=owner)
    now = at(DUE - dt.timedelta(days=5))
    run_pass(db, policies.reminders, now)
    actor = Actor(owner.id, owner.email, frozenset(), frozenset({"notices.read"}))
    notices.review_notice(
        db,
        actor,
        policies.notices,
        notice.id,
        notices.ReviewInput(now.date(), ReviewOutcome.NO_CHANGE, ""),
        notice.version,
        now,
    )
    result = run_pass(db, policies.reminders, now + dt.timedelta(hours=1))
    (reminder,) = about(db, "privacy_notice", notice.id)
    assert reminder.status is ReminderStatus.CANCELLED
    assert reminder.cancelled_at == now + dt.timedelta(hours=1)
    assert result.cancelled >= 1
    assert result.queued["notice_review_due"] == []


def test_an_inactive_owner_is_not_reminded(db, policies):
    owner = make_user(db, roles=("manager",), is_active=False)
    notice = make_notice(db, owner=owner)
    run_pass(db, policies.reminders, at(DUE - dt.timedelta(days=3)))
    assert about(db, "privacy_notice", notice.id) == []


def test_changing_the_policy_changes_the_reminders(db, policies, notice_rule):
    notice = make_notice(db)
    earlier = with_rules(policies.reminders, dataclasses.replace(notice_rule, before_days=(60,)))
    run_pass(db, policies.reminders, at(DUE - dt.timedelta(days=45)))
    assert about(db, "privacy_notice", notice.id) == []
    run_pass(db, earlier, at(DUE - dt.timedelta(days=45)))
    assert [r.stage for r in about(db, "privacy_notice", notice.id)] == ["before-60"]


def test_a_rule_taken_out_of_the_policy_cancels_its_pending_reminders(db, policies):
    notice = make_notice(db)
    run_pass(db, policies.reminders, at(DUE - dt.timedelta(days=3)))
    run_pass(db, with_rules(policies.reminders), at(DUE - dt.timedelta(days=2)))
    assert [r.status for r in about(db, "privacy_notice", notice.id)] == [ReminderStatus.CANCELLED]


def test_a_pass_that_crashes_half_way_leaves_nothing_and_the_next_queues_once(
    db, policies, notice_rule, monkeypatch
):
    notice = make_notice(db)
    second = dataclasses.replace(notice_rule, key="notice_review_copy")
    policy = with_rules(policies.reminders, notice_rule, second)
    original = engine.queue_rule

    def crash_on_second(session, policy, rule, now):
        if rule.key == "notice_review_copy":
            raise RuntimeError("the machine stopped")
        return original(session, policy, rule, now)

    monkeypatch.setattr(engine, "queue_rule", crash_on_second)
    now = at(DUE - dt.timedelta(days=3))
    savepoint = db.begin_nested()
    with pytest.raises(RuntimeError):
        run_pass(db, policy, now)
    savepoint.rollback()
    assert about(db, "privacy_notice", notice.id) == []
    monkeypatch.setattr(engine, "queue_rule", original)
    run_pass(db, policy, now)
    run_pass(db, policy, now)
    assert sorted(r.rule for r in about(db, "privacy_notice", notice.id)) == [
        "notice_review_copy",
        "notice_review_due",
    ]


def test_owner_manager_and_email_only_recipients(db, policies, staff_source):
    manager, user, with_user, mail_only = staff_setup(db)
    rule = Rule(
        "staff_due", staff_source, "Test", "weekly_digest", ("owner", "manager"), before_days=(7,)
    )
    now = at(DUE - dt.timedelta(days=2))
    run_pass(db, with_rules(policies.reminders, rule), now)
    assert keys(about(db, "staff", with_user.id)) == {
        (f"user:{user.id}", "before-7"),
        (f"user:{manager.id}", "before-7"),
    }
    (owner_mail, manager_mail) = sorted(
        about(db, "staff", mail_only.id), key=lambda r: r.recipient_user_id or 0
    )
    assert owner_mail.recipient_key == "bo.diddley@eastmere.example"
    assert owner_mail.recipient_user_id is None
    assert manager_mail.recipient_user_id == manager.id
    # A weekly digest waits for Monday 07:00 UK time.
    assert owner_mail.send_after.weekday() == 0
    assert owner_mail.send_after > now
