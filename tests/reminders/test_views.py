"""Notifications and the reminder outbox pages."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ig.reminders.engine import run_pass
from ig.reminders.models import Reminder, ReminderStatus
from tests.factories import make_notice
from tests.queries import statements_for_get
from tests.reminders.conftest import DUE
from tests.reminders.test_engine import at

NOW = at(DUE - dt.timedelta(days=3))


def remind(db, policies, owner, count=1):
    """``count`` notices owned by ``owner``, each with a queued reminder; returns them."""
    notices = [
        make_notice(db, owner=owner, title=f"Notice {n} of {owner.id}") for n in range(count)
    ]
    run_pass(db, policies.reminders, NOW)
    return db.scalars(
        select(Reminder).where(Reminder.recipient_user_id == owner.id).order_by(Reminder.id)
    ).all(), notices


def fresh(db, reminder):
    db.expire_all()
    return db.get(Reminder, reminder.id)


def test_notifications_need_sign_in(client):
    assert client.get("/notifications").status_code == 302


def test_a_person_sees_and_marks_their_notifications(client, login_as, db, policies):
    user = login_as("manager")
    (reminder,), _ = remind(db, policies, user)
    page = client.get("/notifications")
    assert page.status_code == 200
    assert b"Notice 0 of" in page.data
    assert b"Unread" in page.data
    assert client.post(f"/notifications/{reminder.id}/read").status_code == 302
    assert fresh(db, reminder).read_at is not None
    assert b"Notice 0 of" not in client.get("/notifications?show=unread").data


def test_mark_all_as_read(client, login_as, db, policies):
    user = login_as("manager")
    reminders, _ = remind(db, policies, user, count=2)
    assert client.post("/notifications/read-all").status_code == 302
    assert all(fresh(db, r).read_at is not None for r in reminders)


def test_nobody_can_mark_another_persons_notification(client, login_as, db, policies):
    owner = login_as("manager")
    (reminder,), _ = remind(db, policies, owner)
    login_as("staff")
    assert client.post(f"/notifications/{reminder.id}/read").status_code == 404
    assert fresh(db, reminder).read_at is None


def test_marking_read_needs_the_csrf_token(client, login_as, db, policies):
    user = login_as("manager")
    (reminder,), _ = remind(db, policies, user)
    assert client.post(f"/notifications/{reminder.id}/read", csrf=False).status_code == 400
    assert fresh(db, reminder).read_at is None


def test_the_home_page_counts_unread_notifications(client, login_as, db, policies):
    user = login_as("manager")
    remind(db, policies, user, count=2)
    page = client.get("/")
    assert b"Read your notifications" in page.data


def test_notifications_make_no_query_per_row(client, login_as, db, policies, engine):
    user = login_as("manager")
    remind(db, policies, user, count=1)
    client.get("/notifications")
    few = statements_for_get(engine, client, "/notifications", selects_only=True)
    for n in range(5):
        make_notice(db, owner=user, title=f"More {n}")
    run_pass(db, policies.reminders, NOW + dt.timedelta(hours=1))
    assert statements_for_get(engine, client, "/notifications", selects_only=True) <= few


def test_outbox_is_for_administrators(client, login_as):
    assert client.get("/reminders/outbox").status_code == 302
    login_as("manager")
    assert client.get("/reminders/outbox").status_code == 403


def test_outbox_shows_what_would_have_been_sent(client, login_as, db, policies):
    login_as("administrator")
    owner = login_as("manager", email="owner.outbox@eastmere.example")
    (reminder,), _ = remind(db, policies, owner)
    login_as("administrator")
    page = client.get("/reminders/outbox?status=pending")
    assert page.status_code == 200
    assert b"No mail server is set up" in page.data
    assert b"owner.outbox@eastmere.example" in page.data
    preview = client.get(f"/reminders/outbox/{reminder.id}")
    assert preview.status_code == 200
    assert b"A privacy notice you own is due for review" in preview.data
    assert b"Message-ID" in preview.data


def test_an_unknown_status_shows_the_pending_list(client, login_as):
    login_as("administrator")
    page = client.get("/reminders/outbox?status=nonsense")
    assert page.status_code == 200
    assert b"Pending reminders" in page.data


def test_a_failed_reminder_is_shown_and_can_be_sent_again(client, login_as, db, policies):
    owner = login_as("manager")
    (reminder,), _ = remind(db, policies, owner)
    reminder.status, reminder.attempts = ReminderStatus.FAILED, 6
    reminder.last_error = "refused: 554 5.7.1 Message refused"
    login_as("ig_officer")
    page = client.get("/reminders/outbox?status=failed")
    assert b"554 5.7.1 Message refused" in page.data
    assert client.post(f"/reminders/outbox/{reminder.id}/retry").status_code == 302
    again = fresh(db, reminder)
    assert (again.status, again.attempts) == (ReminderStatus.PENDING, 0)
    # Only a failed reminder can be sent again.
    assert client.post(f"/reminders/outbox/{reminder.id}/retry").status_code == 409


def test_outbox_makes_no_query_per_row(client, login_as, db, policies, engine):
    owner = login_as("manager")
    remind(db, policies, owner, count=1)
    login_as("administrator")
    client.get("/reminders/outbox")
    few = statements_for_get(engine, client, "/reminders/outbox", selects_only=True)
    remind(db, policies, owner, count=5)
    assert statements_for_get(engine, client, "/reminders/outbox", selects_only=True) <= few
