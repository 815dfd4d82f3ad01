"""Each status, computed in SQL, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from ig.auth.rules import SYSTEM
from ig.training import service
from ig.training.rules import Status
from tests.factories import make_completion, make_staff, make_team

ON = dt.date(2026, 3, 31)


def dsa(result, staff):
    return {row.course_code: row for row in result[staff.id]}["DSA"]


@pytest.fixture
def team(db):
    return make_team(db, name="Payroll")


def status_of(db, policies, staff, on=ON):
    result = service.get_training_status_on(db, [staff.id], on, policy=policies.training)
    return dsa(result, staff).status


def test_compliant(db, policies, team):
    staff = make_staff(db, team)
    make_completion(db, staff, "DSA", dt.date(2025, 6, 1))
    assert status_of(db, policies, staff) is Status.COMPLIANT


def test_expiring_soon(db, policies, team):
    staff = make_staff(db, team)
    make_completion(db, staff, "DSA", dt.date(2025, 4, 15))
    assert status_of(db, policies, staff) is Status.EXPIRING_SOON


def test_overdue_when_expired(db, policies, team):
    staff = make_staff(db, team)
    make_completion(db, staff, "DSA", dt.date(2025, 3, 31))
    assert status_of(db, policies, staff) is Status.OVERDUE


def test_overdue_when_never_done(db, policies, team):
    assert status_of(db, policies, make_staff(db, team)) is Status.OVERDUE


def test_not_yet_due_for_new_starter(db, policies, team):
    staff = make_staff(db, team, started_on=ON - dt.timedelta(days=28))
    assert status_of(db, policies, staff) is Status.NOT_YET_DUE
    later = make_staff(db, team, started_on=ON - dt.timedelta(days=29))
    assert status_of(db, policies, later) is Status.OVERDUE


def test_exempt(db, policies, team):
    staff = make_staff(db, team)
    recorded = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    service.add_exemption(
        db,
        SYSTEM,
        staff,
        "DSA",
        "long-term leave",
        dt.date(2026, 3, 1),
        ON,
        policy=policies.training,
        now=recorded,
    )
    assert status_of(db, policies, staff) is Status.EXEMPT
    assert status_of(db, policies, staff, on=ON + dt.timedelta(days=1)) is Status.OVERDUE


def test_exemption_recorded_after_the_date_does_not_count(db, policies, team):
    staff = make_staff(db, team)
    service.add_exemption(
        db,
        SYSTEM,
        staff,
        "DSA",
        "long-term leave",
        dt.date(2026, 3, 1),
        ON,
        policy=policies.training,
        now=dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC),
    )
    assert status_of(db, policies, staff) is Status.OVERDUE


def test_leaver_is_not_counted(db, policies, team):
    staff = make_staff(db, team, left_on=ON)
    result = service.get_training_status_on(db, [staff.id], ON, policy=policies.training)
    assert result == {}


def test_completion_recorded_later_does_not_count(db, policies, team):
    staff = make_staff(db, team)
    make_completion(
        db,
        staff,
        "DSA",
        dt.date(2026, 3, 1),
        recorded_at=dt.datetime(2026, 4, 2, 9, tzinfo=dt.UTC),
    )
    assert status_of(db, policies, staff) is Status.OVERDUE
    assert status_of(db, policies, staff, on=dt.date(2026, 4, 2)) is Status.COMPLIANT
