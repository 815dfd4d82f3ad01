"""The contract API, the reminders of contracts ending or missing terms, and the home task."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.db import london_today, utcnow
from ig.reminders.engine import run_pass
from ig.reminders.models import Reminder
from tests.contracts.factory import ALL_TERMS, make_contract
from tests.factories import make_asset, make_organisation, make_user

START = dt.date(2026, 1, 5)


@pytest.fixture
def bearer(db):
    def make(*roles):
        user = make_user(db, roles=roles)
        _token, raw = tokens.create_token(db, SYSTEM, user, "test", utcnow())
        db.commit()
        return {"Authorization": f"Bearer {raw}"}

    return make


def test_the_api_needs_contracts_read(client, bearer):
    assert client.get("/api/v1/contracts").status_code == 401
    assert client.get("/api/v1/contracts", headers=bearer("manager")).status_code == 403
    assert client.get("/api/v1/contracts/1", headers=bearer("staff")).status_code == 403


def test_the_api_lists_filters_and_gives_one_contract(client, bearer, db):
    headers = bearer("auditor")
    today = london_today()
    asset = make_asset(db)
    sub = make_organisation(db, name="Backup Ltd", code="BKP2")
    lacking = make_contract(
        db, title="Lacking", terms=ALL_TERMS[:-1], assets=(str(asset.id),), subprocessors=("BKP2",)
    )
    make_contract(db, title="Fine", today=today)
    body = client.get("/api/v1/contracts", headers=headers).json
    assert [item["title"] for item in body["items"]] == ["Lacking", "Fine"]
    assert body["items"][0]["missing_terms"] == ["h"]
    missing = client.get("/api/v1/contracts?flag=missing_terms", headers=headers).json
    assert [item["id"] for item in missing["items"]] == [lacking.id]
    assert client.get("/api/v1/contracts?q=fin", headers=headers).json["total"] == 1
    assert client.get("/api/v1/contracts?flag=odd", headers=headers).status_code == 422
    one = client.get(f"/api/v1/contracts/{lacking.id}", headers=headers).json
    assert one["asset_ids"] == [asset.id]
    assert one["subprocessors"] == [{"id": sub.id, "code": "BKP2", "name": "Backup Ltd"}]
    assert one["terms"] == list(ALL_TERMS[:-1])
    assert "notes" not in one
    assert client.get("/api/v1/contracts/999999", headers=headers).status_code == 404


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def reminders_about(db, contract):
    return db.scalars(
        select(Reminder).where(
            Reminder.record_type == "processor_contract", Reminder.record_id == str(contract.id)
        )
    ).all()


def run_days(db, policies, contract, days):
    """Run the engine on each day; what each newly sent to whom, at which stage."""
    seen: set[int] = set()
    sent = {}
    for day in days:
        run_pass(db, policies.reminders, at(day))
        new = [r for r in reminders_about(db, contract) if r.id not in seen]
        sent[day] = {(r.recipient_key, r.stage) for r in new}
        seen |= {r.id for r in new}
    return sent


def test_an_ending_contract_reminds_its_owner_before_and_once_it_ends(db, policies):
    owner = make_user(db, roles=("manager",))
    end = START + dt.timedelta(days=200)
    contract = make_contract(db, owner_user_id=owner.id, start_on=START, end_on=end)
    me = f"user:{owner.id}"
    days = [end - dt.timedelta(days=90), end - dt.timedelta(days=30), end + dt.timedelta(days=1)]
    sent = run_days(db, policies, contract, days)
    assert {k for k in sent[days[0]] if k[0] == me} == {(me, "before-90")}
    assert {k for k in sent[days[1]] if k[0] == me} == {(me, "before-30")}
    assert {k for k in sent[days[2]] if k[0] == me} == {(me, "overdue")}
    assert all(r.link == f"/contracts/{contract.id}" for r in reminders_about(db, contract))


def test_missing_terms_remind_the_owner_until_they_are_in(db, policies):
    owner = make_user(db, roles=("manager",))
    contract = make_contract(
        db,
        owner_user_id=owner.id,
        terms=ALL_TERMS[:-1],
        start_on=START,
        end_on=START + dt.timedelta(days=3000),
    )
    me = f"user:{owner.id}"
    first = START + dt.timedelta(days=1)
    sent = run_days(db, policies, contract, [first])
    assert (me, "overdue") in sent[first]
    fine = make_contract(db, owner_user_id=owner.id, start_on=START)
    assert run_days(db, policies, fine, [first, first + dt.timedelta(days=15)]) == {
        first: set(),
        first + dt.timedelta(days=15): set(),
    }
