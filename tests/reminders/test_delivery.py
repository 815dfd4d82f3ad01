"""Delivery to a real SMTP server on 127.0.0.1: once each, retried, digested, never lost."""

from __future__ import annotations

import datetime as dt

from ig.db import Database
from ig.reminders import mail
from ig.reminders.delivery import deliver
from ig.reminders.engine import run_pass
from ig.reminders.jobs import ReminderJobs
from ig.reminders.models import ReminderStatus
from ig.reminders.policy import Rule
from ig.settings import SmtpSettings
from tests.factories import make_notice, make_user
from tests.reminders.conftest import DUE, staff_setup, with_rules
from tests.reminders.test_engine import about, at

NOW = at(DUE - dt.timedelta(days=3))


def queued_notice(db, policies, **owner_fields):
    owner = make_user(db, roles=("manager",), **owner_fields)
    notice = make_notice(db, owner=owner)
    run_pass(db, policies.reminders, NOW)
    return owner, notice


def to(server, address):
    return [m for m in server.messages if m["To"] == address]


def test_each_reminder_is_sent_once_as_text_and_html(db, policies, smtp_server):
    owner, notice = queued_notice(db, policies)
    result = deliver(db, policies.reminders, smtp_server.settings, NOW)
    deliver(db, policies.reminders, smtp_server.settings, NOW + dt.timedelta(minutes=5))
    (message,) = to(smtp_server, owner.email)
    (reminder,) = about(db, "privacy_notice", notice.id)
    assert result.sent >= 1
    assert reminder.status is ReminderStatus.SENT
    assert reminder.message_id == message["Message-ID"].strip()
    assert reminder.message_id == mail.message_id([reminder], "ig@eastmere.example")
    assert message["Subject"] == "ig: A privacy notice you own is due for review"
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }
    assert f"/notices/{notice.id}" in parts["text/plain"]
    assert "Due within 7 days (10 January 2027)" in parts["text/plain"]
    assert f'href="http://127.0.0.1:5000/notices/{notice.id}"' in parts["text/html"]


def test_a_server_that_is_down_then_up_loses_nothing_and_duplicates_nothing(
    db, policies, smtp_server
):
    owner, notice = queued_notice(db, policies)
    smtp_server.stop()
    down = deliver(db, policies.reminders, smtp_server.settings, NOW)
    (reminder,) = about(db, "privacy_notice", notice.id)
    assert down.sent == 0
    assert down.retrying >= 1
    assert (reminder.status, reminder.attempts) == (ReminderStatus.PENDING, 1)
    assert reminder.next_attempt_at == NOW + dt.timedelta(minutes=5)
    assert "unreachable" in reminder.last_error
    smtp_server.start()
    # Not before the backoff has passed...
    deliver(db, policies.reminders, smtp_server.settings, NOW + dt.timedelta(minutes=2))
    assert to(smtp_server, owner.email) == []
    # ...then exactly once.
    deliver(db, policies.reminders, smtp_server.settings, NOW + dt.timedelta(minutes=5))
    deliver(db, policies.reminders, smtp_server.settings, NOW + dt.timedelta(minutes=30))
    assert len(to(smtp_server, owner.email)) == 1
    assert reminder.status is ReminderStatus.SENT


def test_a_refused_message_is_retried_then_shown_as_failed(db, policies, smtp_server):
    owner, notice = queued_notice(db, policies)
    other_owner, other = queued_notice(db, policies)
    smtp_server.handler.refuse.add(owner.email)
    policy = with_rules(policies.reminders, *policies.reminders.rules.values(), max_attempts=3)
    when = NOW
    for _ in range(3):
        deliver(db, policy, smtp_server.settings, when)
        when += dt.timedelta(hours=1)
    (refused,) = about(db, "privacy_notice", notice.id)
    assert refused.status is ReminderStatus.FAILED
    assert refused.attempts == 3
    assert "554" in refused.last_error
    # The other message on the same connection went, once.
    assert len(to(smtp_server, other_owner.email)) == 1
    assert about(db, "privacy_notice", other.id)[0].status is ReminderStatus.SENT


def test_without_smtp_settings_mail_stays_in_the_outbox(db, policies):
    _owner, notice = queued_notice(db, policies)
    result = deliver(db, policies.reminders, SmtpSettings(), NOW)
    assert result.configured is False
    assert about(db, "privacy_notice", notice.id)[0].status is ReminderStatus.PENDING


def test_a_daily_digest_is_one_message_per_person_at_the_digest_hour(
    db, policies, smtp_server, staff_source
):
    manager, _user, _with_user, _mail_only = staff_setup(db)
    rule = Rule(
        "staff_due",
        staff_source,
        "A colleague starts soon",
        "daily_digest",
        ("manager",),
        before_days=(7,),
    )
    policy = with_rules(policies.reminders, rule)
    run_pass(db, policy, NOW)
    deliver(db, policy, smtp_server.settings, NOW)
    assert to(smtp_server, manager.email) == []
    deliver(db, policy, smtp_server.settings, at(NOW.date() + dt.timedelta(days=1), hour=7))
    (digest,) = to(smtp_server, manager.email)
    text = digest.get_body(("plain",)).get_content()
    assert "You have 2 reminders" in text
    assert "Ada Lovelace" in text
    assert "Bo Diddley" in text


def test_completing_the_thing_cancels_the_reminder_before_it_goes(
    db, policies, smtp_server, engine
):
    owner, notice = queued_notice(db, policies)
    notice.is_archived = True  # the notice no longer needs reviewing
    db.flush()
    jobs = ReminderJobs(
        Database(engine, session_factory=lambda: db), policies, smtp_server.settings
    )
    jobs.deliver(NOW)
    assert to(smtp_server, owner.email) == []
    assert about(db, "privacy_notice", notice.id)[0].status is ReminderStatus.CANCELLED
