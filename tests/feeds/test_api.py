"""The feeds through the API: changed_since, paging, permissions, parameters, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from ig.assets.policy import load_assets
from ig.assets.service import confirm_asset
from ig.auth import tokens
from ig.auth.rules import SYSTEM, Actor
from ig.db import utcnow
from ig.settings import PROJECT_ROOT
from ig.training.models import Completion
from tests.factories import (
    make_asset,
    make_caldicott_request,
    make_completion,
    make_notice,
    make_staff,
    make_team,
    make_user,
)

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
FEEDS = "/api/v1/feeds"
PYTHON_TYPES = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "date": str,
    "datetime": str,
}


@pytest.fixture
def bearer(db):
    def make(*roles, scope=tokens.READ_ONLY):
        user = make_user(db, roles=roles)
        _token, raw = tokens.create_token(db, SYSTEM, user, "Power BI", utcnow(), scope=scope)
        db.commit()
        return {"Authorization": f"Bearer {raw}"}

    return make


def test_changed_since_returns_exactly_the_records_changed_after_it(client, db, bearer):
    owner = make_user(db, roles=("manager",))
    first, second, third = (make_asset(db, owner, name=f"Asset {n}", now=T0) for n in "ABC")
    since = T0 + dt.timedelta(hours=1)
    actor = Actor(owner.id, owner.email, frozenset(), frozenset({"assets.manage"}))
    policy = load_assets(PROJECT_ROOT / "policies")
    confirm_asset(db, actor, policy, second.id, second.version, since)  # at it: not after
    confirm_asset(db, actor, policy, third.id, third.version, since + dt.timedelta(seconds=1))
    fourth = make_asset(db, owner, name="Asset D", now=since + dt.timedelta(hours=1))
    db.commit()
    headers = bearer("ig_officer")
    # The same instant written in London's summer offset would be +01:00; November is +00:00.
    url = f"{FEEDS}/information_assets?changed_since=2026-11-02T10:00:00%2B00:00"
    body = client.get(url, headers=headers).json
    assert [row["id"] for row in body["value"]] == [third.id, fourth.id]
    everything = client.get(f"{FEEDS}/information_assets", headers=headers).json
    assert [row["id"] for row in everything["value"]] == [first.id, second.id, third.id, fourth.id]
    assert everything["value"][0]["last_confirmed_on"] is None
    assert everything["value"][2]["last_confirmed_on"] == "2026-11-02"


def test_completions_changed_since_are_those_recorded_after_it(client, db, bearer):
    staff = make_staff(db, make_team(db))
    make_completion(db, staff, "DSA", dt.date(2026, 11, 1), recorded_at=T0)
    late = make_completion(db, staff, "DSA", dt.date(2026, 10, 1), recorded_at=T0.replace(hour=11))
    db.commit()
    url = f"{FEEDS}/training_completions?changed_since=2026-11-02T10:59:59.5%2B01:00"
    body = client.get(url, headers=bearer("auditor")).json
    assert [row["id"] for row in body["value"]] == [late.id]
    assert body["value"][0]["recorded_at"] == "2026-11-02T11:00:00Z"


def test_paging_by_next_links_returns_every_row_once(client, db, bearer):
    owner = make_user(db, roles=("manager",))
    made = [make_notice(db, owner, title=f"Notice {n}", now=T0).id for n in range(7)]
    db.commit()
    headers = bearer("auditor")
    url, seen, pages = f"http://localhost{FEEDS}/privacy_notices?page_size=3", [], 0
    while url:
        body = client.get(url, headers=headers).json
        seen += [row["id"] for row in body["value"]]
        url, pages = body.get("@odata.nextLink"), pages + 1
        assert url is None or url.startswith("http://localhost/api/v1/feeds/privacy_notices?")
    assert seen == made
    assert pages == 3
    assert body["@odata.context"] == "http://localhost/api/v1/feeds#privacy_notices"


def test_a_read_only_token_cannot_write_anywhere_in_the_api(client, db, bearer):
    staff = make_staff(db, make_team(db))
    db.commit()
    items = {"completions": [{"staff_number": staff.staff_number, "course_code": "DSA",
                              "completed_on": "2026-01-05"}]}  # fmt: skip
    url = "/api/v1/training/completions"
    before = db.scalar(select(func.count()).select_from(Completion))
    refused = client.post(url, json=items, headers=bearer("ig_officer"))
    assert refused.status_code == 403
    assert refused.mimetype == "application/problem+json"
    assert "read-only" in refused.json["detail"]
    assert db.scalar(select(func.count()).select_from(Completion)) == before
    writer = bearer("ig_officer", scope=tokens.READ_WRITE)
    assert client.post(url, json=items, headers=writer).json == {"added": 1, "unchanged": 0}


def test_a_feed_needs_its_own_permission(client, bearer):
    headers = bearer("information_rights_officer")
    listed = {feed["name"] for feed in client.get(FEEDS, headers=headers).json["value"]}
    assert listed == {"information_assets", "processing_activities", "rights_requests"}
    refused = client.get(f"{FEEDS}/incidents", headers=headers)
    assert refused.status_code == 403
    assert "incidents.read" in refused.json["detail"]
    assert client.get(f"{FEEDS}/rights_requests", headers=headers).status_code == 200
    assert client.get(FEEDS).status_code == 401  # no token
    assert client.get(f"{FEEDS}/nothing", headers=headers).status_code == 404


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("page_size=0", "page_size must be a whole number from 1 to 5000"),
        ("page_size=5001", "page_size must be a whole number from 1 to 5000"),
        ("page_size=ten", "page_size must be a whole number from 1 to 5000"),
        ("after=-1", "after must be the whole-number id"),
        ("changed_since=2026-11-02T10:00:00", "with its offset"),  # a naive time is a guess
        ("changed_since=2026-02-30T10:00:00Z", "with its offset"),
        ("changed_since=yesterday", "like 2026-04-01T09:30:00Z"),
        ("format=xlsx", "format must be json or csv"),
    ],
)
def test_bad_parameters_are_a_400_saying_what_is_wrong(client, bearer, query, says):
    response = client.get(f"{FEEDS}/privacy_notices?{query}", headers=bearer("auditor"))
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert says in response.json["detail"]


def test_a_snapshot_counts_every_row_as_changed_at_the_pull(client, db, bearer):
    make_staff(db, make_team(db))
    db.commit()
    headers = bearer("auditor")
    url = f"{FEEDS}/training_compliance?changed_since="
    assert len(client.get(url + "2026-01-01T00:00:00Z", headers=headers).json["value"]) == 1
    assert client.get(url + "2100-01-01T00:00:00Z", headers=headers).json["value"] == []


def test_csv_has_the_feeds_columns_and_every_row(client, db, bearer):
    owner = make_user(db, roles=("manager",))
    made = [make_notice(db, owner, title=f"=Notice {n}", now=T0).id for n in range(3)]
    db.commit()
    headers = bearer("auditor")
    page = client.get(f"{FEEDS}/privacy_notices?page_size=1", headers=headers).json
    response = client.get(f"{FEEDS}/privacy_notices?format=csv&page_size=1", headers=headers)
    assert response.mimetype == "text/csv"
    assert response.is_streamed
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == list(page["value"][0])
    assert [int(row[0]) for row in rows[1:]] == made  # every row, not one page
    assert rows[1][1] == "'=Notice 0"  # a spreadsheet will not run it as a formula
    assert rows[1][rows[0].index("is_archived")] == "false"
    by_path = client.get(f"{FEEDS}/privacy_notices.csv", headers=headers)
    assert by_path.get_data() == response.get_data()
    assert by_path.headers["Content-Disposition"] == 'attachment; filename="privacy_notices.csv"'


def test_every_feed_answers_with_the_types_it_declares(client, app, db, bearer):
    owner = make_user(db, roles=("manager",))
    make_asset(db, owner, now=T0)
    make_notice(db, owner, now=T0)
    make_caldicott_request(db, owner)
    team = make_team(db)
    make_completion(db, make_staff(db, team), "DSA", dt.date(2026, 3, 1))
    db.commit()
    headers = bearer(*sorted(app.extensions["ig.policies"].roles.roles))
    catalog = client.get(FEEDS, headers=headers).json["value"]
    assert {feed["name"] for feed in catalog} == {f.name for f in app.extensions["ig.feeds"]}
    filled = set()
    for feed in catalog:
        assert feed["incremental"] == (feed["name"] != "training_compliance")
        response = client.get(feed["url"], headers=headers)
        assert response.status_code == 200, (feed["name"], response.json)
        for row in response.json["value"]:
            assert list(row) == [column["name"] for column in feed["columns"]]
            for column in feed["columns"]:
                value = row[column["name"]]
                assert value is None or isinstance(value, PYTHON_TYPES[column["type"]]), column
            filled.add(feed["name"])
    assert {"information_assets", "privacy_notices", "caldicott_decisions"} <= filled
    assert {"training_completions", "training_compliance", "organisations"} <= filled
