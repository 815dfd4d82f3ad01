"""The access report as at a date: held from the grant's day until the day before removal,
per asset and per team (with the teams below), paged in SQL, and as CSV."""

from __future__ import annotations

import datetime as dt

import pytest

from ig.access import rules, service
from ig.access.report import ReportFilter, access_report, access_report_csv
from ig.people.models import TeamManager
from tests.access.helpers import POLICY, as_actor, make_world
from tests.factories import make_asset, make_staff, make_team
from tests.queries import statements_for_get

ASKED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
GRANTED, REMOVED = dt.date(2026, 3, 10), dt.date(2026, 6, 1)


def held(db, world, staff=None, asset=None, removed=True):
    manager, owner = as_actor(world.manager), as_actor(world.owner)
    asset_id = (asset or world.asset).id
    data = service.AccessInput(asset_id, "read", "Caseload", (staff or world.staff).id)
    item = service.request_access(db, manager, POLICY, data, ASKED)
    service.decide_request(db, manager, item.id, True, "Ok", ASKED)
    at = dt.datetime.combine(REMOVED, dt.time(12), tzinfo=dt.UTC)
    service.record_granted(db, owner, POLICY, item.id, GRANTED, at)
    if removed:
        service.record_removed(db, owner, item.id, REMOVED, "Moved team", at)
    return item


def names(db, **filters):
    return [r.name for r in access_report(db, POLICY, ReportFilter(**filters)).rows]


@pytest.mark.parametrize(
    "day",
    [
        GRANTED - dt.timedelta(days=1),
        GRANTED,
        dt.date(2026, 4, 1),
        REMOVED - dt.timedelta(days=1),
        REMOVED,
    ],
)
def test_access_is_reported_on_the_days_it_was_held(db, day):
    world = make_world(db)
    held(db, world)
    expected = ["Priya Shah"] if rules.held_on(day, GRANTED, REMOVED) else []
    assert names(db, on=day) == expected
    assert (GRANTED <= day < REMOVED) == bool(expected)


def test_the_report_is_per_asset_and_per_team_with_the_teams_below(db):
    world = make_world(db)
    held(db, world, removed=False)
    below = make_team(db, parent=world.team)
    other_team = make_team(db)
    lower = make_staff(db, below, name="Aaron Below")
    outsider = make_staff(db, other_team, name="Zed Outside")
    other_asset = make_asset(db, world.owner, name="Housing system")
    held(db, world, staff=lower, asset=other_asset, removed=False)
    db.add(TeamManager(team_id=other_team.id, user_id=world.manager.id))
    db.flush()
    held(db, world, staff=outsider, removed=False)
    day = dt.date(2026, 7, 1)
    assert names(db, on=day) == ["Aaron Below", "Priya Shah", "Zed Outside"]
    assert names(db, on=day, asset_id=world.asset.id) == ["Priya Shah", "Zed Outside"]
    assert names(db, on=day, team_id=world.team.id) == ["Aaron Below", "Priya Shah"]
    assert names(db, on=day, team_id=below.id) == ["Aaron Below"]
    assert names(db, on=day, team_id=world.directorate.id, asset_id=other_asset.id) == [
        "Aaron Below"
    ]


def test_the_csv_lists_every_row_safely(db):
    world = make_world(db)
    world.staff.name = "=HYPERLINK(1)"
    held(db, world)
    text = access_report_csv(db, POLICY, ReportFilter(dt.date(2026, 4, 1)))
    lines = text.strip().splitlines()
    assert lines[0] == "staff number,name,team,asset,level,granted,removed"
    assert "'=HYPERLINK(1)" in lines[1]
    assert "2026-03-10,2026-06-01" in lines[1]


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 403), ("manager", 403), ("ig_officer", 200), ("auditor", 200), ("siro", 200)],
)
def test_the_report_is_for_the_ig_team_auditors_and_the_siro(client, login_as, role, status):
    login_as(role)
    assert client.get("/access/report").status_code == status
    assert client.get("/access/report.csv").status_code == status


def test_the_report_page_filters_by_date_and_asset_and_pages_in_sql(client, db, engine, login_as):
    world = make_world(db)
    held(db, world)
    login_as("auditor")
    url = f"/access/report?on=1&on=4&on=2026&asset={world.asset.id}"
    assert "Priya Shah" in client.get(url).get_data(as_text=True)
    assert "Priya Shah" not in client.get("/access/report?on=1&on=7&on=2026").get_data(as_text=True)
    response = client.get("/access/report?on=31&on=2&on=2026")
    assert response.status_code == 200
    assert "must be a real date" in response.get_data(as_text=True)
    few = statements_for_get(engine, client, url, selects_only=True)
    for number in range(6):
        held(
            db,
            world,
            staff=make_staff(db, world.team),
            asset=make_asset(db, world.owner, name=f"S{number}"),
        )
    many = statements_for_get(engine, client, "/access/report?on=1&on=4&on=2026", selects_only=True)
    assert many <= few
    csv = client.get("/access/report.csv?on=1&on=4&on=2026").get_data(as_text=True)
    assert len(csv.strip().splitlines()) == 8


def test_the_report_lists_access_removed_between_two_dates_instead(client, db, login_as):
    world = make_world(db)
    held(db, world)
    before, after = REMOVED - dt.timedelta(days=1), REMOVED + dt.timedelta(days=1)
    not_held = dt.date(2026, 1, 1)
    assert names(db, on=not_held, removed_from=REMOVED, removed_to=REMOVED) == ["Priya Shah"]
    assert names(db, on=not_held, removed_from=after) == []
    assert names(db, on=not_held, removed_to=before) == []
    assert names(db, on=not_held, removed_to=REMOVED, leavers_only=True) == []
    login_as("auditor")
    refused = client.get(
        "/access/report?removed_from=2&removed_from=6&removed_from=2026"
        "&removed_to=1&removed_to=6&removed_to=2026"
    ).get_data(as_text=True)
    assert "Removed to must be the same as or after removed from" in refused
    assert "Priya Shah" not in refused
    csv = client.get("/access/report.csv?removed_from=1&removed_from=6&removed_from=2026")
    assert "Priya Shah" in csv.get_data(as_text=True)
