"""Overdue confirmations: the reminder rule, and the owner's task on the home page."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ig.reminders.engine import run_pass
from ig.reminders.models import Reminder
from tests.factories import make_asset, make_user

ADDED = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)  # due for confirmation that day


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def reminders_about(db, asset):
    return db.scalars(
        select(Reminder).where(
            Reminder.record_type == "information_asset", Reminder.record_id == str(asset.id)
        )
    ).all()


def test_an_overdue_confirmation_reminds_the_owner_then_escalates(db, policies):
    officers = [make_user(db, roles=("ig_officer",)) for _ in range(2)]
    owner = make_user(db, roles=("manager",))
    asset = make_asset(db, owner=owner, now=ADDED)
    due = ADDED.date()
    me = f"user:{owner.id}"
    ig_team = {(f"user:{u.id}", "escalated") for u in officers}
    expected = [
        (due - dt.timedelta(days=14), {(me, "before-14")}),
        (due + dt.timedelta(days=1), {(me, "overdue")}),
        (due + dt.timedelta(days=29), {(me, "overdue")} | ig_team),
    ]
    seen: set[int] = set()
    for day, wanted in expected:
        run_pass(db, policies.reminders, at(day))
        new = [r for r in reminders_about(db, asset) if r.id not in seen]
        got = {(r.recipient_key, r.stage) for r in new}
        assert {k for k in got if k[0] == me or k in ig_team} == wanted, day
        seen |= {r.id for r in new}
    assert all(r.link == f"/assets/{asset.id}" for r in reminders_about(db, asset))


def test_the_owner_sees_the_task_and_their_assets(client, login_as, db):
    owner = login_as("manager")
    make_asset(db, owner=owner, name="Overdue records", now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    make_asset(db, name="Not mine", now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    home = client.get("/").get_data(as_text=True)
    assert "Confirm your overdue information assets" in home
    assert 'href="/assets/mine"' in home
    mine = client.get("/assets/mine").get_data(as_text=True)
    assert "Overdue records" in mine
    assert "Overdue" in mine
    assert "Not mine" not in mine


def test_no_task_once_confirmed(client, login_as, db):
    owner = login_as("staff")
    asset = make_asset(db, owner=owner)
    response = client.post(f"/assets/{asset.id}/confirm", data={"version": str(asset.version)})
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "Confirm your overdue information assets" not in home
    assert "Confirm your information assets" not in home
