"""The manager's list on both databases: who needs action, worst first; who does not; the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ig.auth.rules import SYSTEM
from ig.people.models import Team
from ig.training import service
from ig.training.compliance import status_rows
from ig.training.manager import list_needing_action, list_up_to_date, manager_csv
from ig.training.rules import Status, due_on, needs_action, starter_due_on, status_on, window
from tests.factories import make_completion, make_staff, make_team

ON = dt.date(2026, 6, 15)
EVERYONE = ("DSA", "IGF", "CYB")


def done_all(db, staff, on=ON - dt.timedelta(days=60), skip=()):
    for code in EVERYONE:
        if code not in skip:
            make_completion(db, staff, code, on)


@pytest.fixture
def team(db):
    return make_team(db, name="Fostering")


@pytest.fixture
def people(db, team):
    """Five people: two overdue (one far worse), two due soon, one with nothing to do."""
    never = make_staff(db, team, name="Nia Never")  # every course overdue since 2020
    lapsed = make_staff(db, team, name="Lee Lapsed")
    done_all(db, lapsed, skip=("DSA",))
    make_completion(db, lapsed, "DSA", dt.date(2025, 5, 1))  # expired 1 May 2026
    expiring = make_staff(db, team, name="Eve Expiring")
    done_all(db, expiring, skip=("DSA",))
    make_completion(db, expiring, "DSA", dt.date(2025, 6, 25))  # last day 24 June 2026
    starter = make_staff(db, team, name="Sam Starter", started_on=ON - dt.timedelta(days=20))
    done = make_staff(db, team, name="Dana Done")
    done_all(db, done)
    return {
        "never": never,
        "lapsed": lapsed,
        "expiring": expiring,
        "starter": starter,
        "done": done,
    }


def scope(team):
    return select(Team.id).where(Team.id == team.id)


def test_overdue_first_worst_first_then_the_soonest_due(db, policies, team, people):
    page = list_needing_action(db, policies.training, ON, team_ids=scope(team))
    assert [p.name for p in page.rows] == ["Nia Never", "Lee Lapsed", "Sam Starter", "Eve Expiring"]
    assert page.total == 4
    never, lapsed, starter, expiring = page.rows
    assert {c.code for c in never.courses} == set(EVERYONE)
    assert all(c.is_overdue for c in never.courses)
    [dsa] = lapsed.courses
    assert (dsa.code, dsa.status, dsa.due_on, dsa.days_overdue) == (
        "DSA",
        Status.OVERDUE,
        dt.date(2026, 4, 30),
        46,
    )
    # A new starter 20 days in: DSA is due in 8 days, IGF and CYB (56 days) later than
    # the 30-day window, so only DSA needs action.
    assert [(c.code, c.days_left) for c in starter.courses] == [("DSA", 8)]
    [soon] = expiring.courses
    assert (soon.status, soon.due_on, soon.days_left) == (
        Status.EXPIRING_SOON,
        dt.date(2026, 6, 24),
        9,
    )


def test_nobody_else_needs_action_and_the_rest_are_counted(db, policies, team, people):
    calm = list_up_to_date(db, policies.training, ON, team_ids=scope(team))
    assert [(p.name, p.worst) for p in calm.rows] == [("Dana Done", Status.COMPLIANT)]
    assert calm.total == 1


def test_filters_search_and_paging(db, policies, team, people):
    policy = policies.training

    def names(**kwargs):
        page = list_needing_action(db, policy, ON, team_ids=scope(team), **kwargs)
        return [p.name for p in page.rows], page.total

    assert names(show="overdue") == (["Nia Never", "Lee Lapsed"], 2)
    assert names(show="due_soon") == (["Sam Starter", "Eve Expiring"], 2)
    assert names(search="lapsed") == (["Lee Lapsed"], 1)
    assert names(search="%") == ([], 0)  # a wildcard is searched for, not obeyed
    assert names(per_page=3, page=2) == (["Eve Expiring"], 4)
    assert names(per_page=3, page=9) == ([], 0)
    beyond = list_up_to_date(db, policy, ON, team_ids=scope(team), page=5)
    assert (beyond.rows, beyond.total) == ([], 1)  # the count stands on any page


def test_exempt_people_need_no_action(db, policies, team):
    person = make_staff(db, team, name="Ola Onleave")
    done_all(db, person, skip=("DSA",))
    service.add_exemption(
        db,
        SYSTEM,
        person,
        "DSA",
        "long-term leave",
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        policy=policies.training,
        now=dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC),
    )
    policy = policies.training
    assert list_needing_action(db, policy, ON, team_ids=scope(team)).total == 0
    calm = list_up_to_date(db, policy, ON, team_ids=scope(team))
    assert [(p.name, p.worst) for p in calm.rows] == [("Ola Onleave", Status.COMPLIANT)]


def test_an_overdue_assignment_is_due_on_its_own_date(db, policies, team):
    person = make_staff(db, team, name="Ana Assigned")
    done_all(db, person)
    service.assign_course(
        db,
        SYSTEM,
        [person.id],
        "DSA",
        dt.date(2026, 6, 1),
        "after incident INC-1",
        "INC-1",
        today=dt.date(2026, 5, 20),
        policy=policies.training,
        now=dt.datetime(2026, 5, 20, 9, tzinfo=dt.UTC),
    )
    [row] = list_needing_action(db, policies.training, ON, team_ids=scope(team)).rows
    [dsa] = row.courses
    assert (dsa.status, dsa.due_on, dsa.days_overdue) == (Status.OVERDUE, dt.date(2026, 6, 1), 14)


def test_the_csv_has_one_header_row_iso_dates_and_days_overdue(db, policies, team, people):
    make_staff(db, team, name="=cmd|' /C calc'!A0", staff_number="+44")
    text = "".join(manager_csv(db, policies.training, ON, team_ids=scope(team)))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Staff number",
        "Name",
        "Team",
        "Course",
        "Status",
        "Completed on",
        "Expires on",
        "Days overdue",
    ]
    by_key = {(r[1], r[3]): r for r in rows[1:]}
    lapsed = people["lapsed"]
    assert by_key[("Lee Lapsed", "DSA")] == [
        lapsed.staff_number,
        "Lee Lapsed",
        "Fostering",
        "DSA",
        "Overdue",
        "2025-05-01",
        "2026-05-01",
        "46",
    ]
    assert by_key[("Eve Expiring", "DSA")][4:] == ["Expiring soon", "2025-06-25", "2026-06-25", ""]
    assert by_key[("Nia Never", "IGF")][4:] == [
        "Overdue",
        "",
        "",
        str((ON - dt.date(2020, 3, 2)).days),
    ]
    assert by_key[("'=cmd|' /C calc'!A0", "DSA")][0] == "'+44"  # formula-safe cells
    assert len(rows) == 1 + 6 * 3  # six people, three courses each


def test_the_csv_of_those_needing_action_is_worst_first(db, policies, team, people):
    text = "".join(manager_csv(db, policies.training, ON, team_ids=scope(team), show="action"))
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert [r[1] for r in rows][-3:] == ["Lee Lapsed", "Sam Starter", "Eve Expiring"]
    assert {r[1] for r in rows[:3]} == {"Nia Never"}
    overdue = "".join(manager_csv(db, policies.training, ON, team_ids=scope(team), show="overdue"))
    assert "Eve Expiring" not in overdue
    soon = "".join(manager_csv(db, policies.training, ON, team_ids=scope(team), show="due_soon"))
    assert [r[1] for r in csv.reader(io.StringIO(soon))][1:] == ["Sam Starter", "Eve Expiring"]


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cases=st.lists(
        st.tuples(
            st.dates(dt.date(2023, 1, 1), dt.date(2026, 6, 30)),  # started on
            st.one_of(st.none(), st.dates(dt.date(2023, 1, 1), dt.date(2026, 6, 30))),
        ),
        min_size=1,
        max_size=6,
    ),
    on=st.dates(dt.date(2024, 1, 1), dt.date(2026, 6, 30)),
    code=st.sampled_from(["DSA", "CYB"]),
)
def test_sql_due_dates_and_action_agree_with_the_rules(db, policies, team, cases, on, code):
    course = policies.training.courses[code]
    savepoint = db.begin_nested()
    people = []
    for started, completed in cases:
        staff = make_staff(db, team, started_on=started)
        if completed is not None:
            make_completion(db, staff, code, completed)
        people.append((staff, started, completed))
    rows = status_rows(
        db,
        policies.training,
        on,
        staff_ids=[p[0].id for p in people],
        course_codes=[code],
        with_due=True,
    )
    found = {
        r.staff_id: r
        for r in db.execute(
            select(rows.c.staff_id, rows.c.status, rows.c.due_on, rows.c.needs_action)
        )
    }
    for staff, started, completed in people:
        if started > on:
            assert staff.id not in found
            continue
        counted = completed if completed is not None and completed <= on else None
        status = status_on(window(course, on), on, counted, starter_due_on(course, started))
        due = due_on(course, started, counted)
        row = found[staff.id]
        assert (Status(row.status), row.due_on) == (status, due)
        assert bool(row.needs_action) == needs_action(course, on, status, due)
    savepoint.rollback()
