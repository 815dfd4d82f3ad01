"""Risk reviews through the reminder engine, the owner's home-page task, the IG team's
count of overdue reviews, and the register's API."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.db import utcnow
from ig.reminders.engine import run_pass
from ig.reminders.models import Reminder
from tests.factories import make_user
from tests.risks.conftest import NOW, make_risk


def test_an_overdue_review_reminds_the_owner_then_escalates(db, policies):
    officer = make_user(db, roles=("ig_officer",))
    owner = make_user(db, roles=("staff",))
    risk = make_risk(db, owner=owner)  # high: due three months on
    due = risk.review_on
    me, team = f"user:{owner.id}", f"user:{officer.id}"
    seen: set[int] = set()
    for day, wanted in (
        (due - dt.timedelta(days=14), {(me, "before-14")}),
        (due + dt.timedelta(days=15), {(me, "overdue"), (team, "escalated")}),
    ):
        run_pass(db, policies.reminders, dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC))
        new = db.scalars(
            select(Reminder).where(
                Reminder.record_type == "risk",
                Reminder.record_id == str(risk.id),
                Reminder.id.not_in(seen),
            )
        ).all()
        assert {(r.recipient_key, r.stage) for r in new if r.recipient_key in (me, team)} == wanted
        assert all(r.link == f"/risks/{risk.id}" for r in new)
        seen |= {r.id for r in new}


def test_home_tasks_for_the_owner_and_the_ig_team(client, login_as, db):
    owner = login_as("manager")
    make_risk(db, owner=owner, title="My overdue risk", now=NOW - dt.timedelta(days=2000))
    make_risk(db, title="Not mine", now=NOW - dt.timedelta(days=2000))
    home = client.get("/").get_data(as_text=True)
    assert "Review your overdue risks" in home
    assert "Chase overdue risk reviews" not in home
    mine = client.get("/risks/mine").get_data(as_text=True)
    assert "My overdue risk" in mine
    assert "Not mine" not in mine
    login_as("ig_officer")
    home = client.get("/").get_data(as_text=True)
    assert "Chase overdue risk reviews" in home
    assert "/risks/?overdue=y" in home


def test_the_api_lists_the_register_paged(client, db):
    reader = make_user(db, roles=("auditor",))
    make_risk(db, likelihood=2, impact=2, title="Lower")
    make_risk(db, likelihood=5, impact=5, title="Top")
    _token, raw = tokens.create_token(db, SYSTEM, reader, "test", utcnow())
    headers = {"Authorization": f"Bearer {raw}"}
    body = client.get("/api/v1/risks?per_page=1", headers=headers).get_json()
    assert (body["total"], body["pages"]) == (2, 2)
    assert body["items"][0]["title"] == "Top"
    assert body["items"][0]["is_above_appetite"] is True
    assert "cause" not in body["items"][0]  # encrypted detail stays out
    staff = make_user(db, roles=("staff",))
    _token, raw = tokens.create_token(db, SYSTEM, staff, "test", utcnow())
    denied = client.get("/api/v1/risks", headers={"Authorization": f"Bearer {raw}"})
    assert denied.status_code == 403
