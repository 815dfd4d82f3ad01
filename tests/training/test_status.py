"""Each status, computed in SQL, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ig.audit.models import AuditEntry
from ig.auth.rules import SYSTEM
from ig.errors import ValidationFailed
from ig.training import service
from ig.training.rules import Status, starter_due_on, status_on, window
from tests.factories import make_completion, make_staff, make_team, make_user

ON = dt.date(2026, 3, 31)
MAY_1 = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)


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
)
def test_sql_agrees_with_the_rule(db, policies, team, cases, on):
    course = policies.training.courses["DSA"]
    savepoint = db.begin_nested()
    people = []
    for started, completed in cases:
        staff = make_staff(db, team, started_on=started)
        if completed is not None:
            make_completion(db, staff, "DSA", completed)
        people.append((staff, started, completed))
    result = service.get_training_status_on(
        db, [p[0].id for p in people], on, policy=policies.training
    )
    for staff, started, completed in people:
        if started > on:
            assert staff.id not in result
            continue
        counted = completed if completed is not None and completed <= on else None
        expected = status_on(window(course, on), on, counted, starter_due_on(course, started))
        assert dsa(result, staff).status is expected
    savepoint.rollback()


def test_selected_courses_follow_job_title_team_and_role(db, policies):
    adults = make_team(db, name="Adult Social Care")
    below = make_team(db, name="Adults East", parent=adults)
    other = make_team(db, name="Finance")
    worker = make_staff(db, other, job_title="Social Worker")
    in_team = make_staff(db, below)
    officer = make_staff(db, other, user_id=make_user(db, roles=("ig_officer",)).id)
    plain = make_staff(db, other)
    result = service.get_training_status_on(
        db, [worker.id, in_team.id, officer.id, plain.id], ON, policy=policies.training
    )
    courses = {sid: {row.course_code for row in rows} for sid, rows in result.items()}
    assert courses[worker.id] == {"DSA", "IGF", "CYB", "SAR"}
    assert courses[in_team.id] == {"DSA", "IGF", "CYB", "REC"}
    assert courses[officer.id] == {"DSA", "IGF", "CYB", "SAR", "CAL"}
    assert courses[plain.id] == {"DSA", "IGF", "CYB"}


def test_assignment_makes_a_course_required_until_done(db, policies, team):
    staff = make_staff(db, team)
    today = dt.date(2026, 5, 1)
    assignment = service.assign_course(
        db,
        SYSTEM,
        [staff.id],
        "CAL",
        dt.date(2026, 5, 31),
        "after incident 7",
        "INC-7",
        today=today,
        now=MAY_1,
        policy=policies.training,
    )

    def cal(on):
        rows = service.get_training_status_on(db, [staff.id], on, policy=policies.training)
        return {r.course_code: r.status for r in rows[staff.id]}.get("CAL")

    assert cal(dt.date(2026, 5, 10)) is Status.NOT_YET_DUE
    assert cal(dt.date(2026, 6, 1)) is Status.OVERDUE
    progress = service.get_assignment_progress(db, [assignment.id])[assignment.id]
    assert progress.outstanding_staff_ids == (staff.id,)
    assert progress.is_overdue(dt.date(2026, 6, 1))
    make_completion(db, staff, "CAL", dt.date(2026, 6, 3))
    # Done, so no longer required of someone outside the course's audience.
    assert cal(dt.date(2026, 6, 4)) is None
    progress = service.get_assignment_progress(db, [assignment.id])[assignment.id]
    assert progress.is_done
    assert progress.done_staff_ids == (staff.id,)


def test_assignment_overdue_overrides_an_older_completion(db, policies, team):
    staff = make_staff(db, team)
    make_completion(db, staff, "DSA", dt.date(2026, 4, 1))
    service.assign_course(
        db,
        SYSTEM,
        [staff.id],
        "DSA",
        dt.date(2026, 5, 10),
        "retrain",
        "INC-8",
        today=dt.date(2026, 5, 1),
        now=MAY_1,
        policy=policies.training,
    )
    assert status_of(db, policies, staff, on=dt.date(2026, 5, 5)) is Status.COMPLIANT
    assert status_of(db, policies, staff, on=dt.date(2026, 5, 11)) is Status.OVERDUE


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"course_code": "NOPE"}, "course_code"),
        ({"staff_ids": []}, "staff_ids"),
        ({"staff_ids": [999999]}, "staff_ids"),
        ({"due_on": dt.date(2026, 4, 30)}, "due_on"),
        ({"reason": "  "}, "reason"),
    ],
)
def test_assign_course_refuses_bad_input(db, policies, team, kwargs, field):
    staff = make_staff(db, team)
    values = {
        "staff_ids": [staff.id],
        "course_code": "DSA",
        "due_on": dt.date(2026, 5, 31),
        "reason": "why",
        "source_ref": "INC-1",
    } | kwargs
    with pytest.raises(ValidationFailed) as error:
        service.assign_course(
            db, SYSTEM, today=dt.date(2026, 5, 1), policy=policies.training, **values
        )
    assert error.value.field == field


def test_assign_course_is_audited(db, policies, team):
    staff = make_staff(db, team)
    assignment = service.assign_course(
        db,
        SYSTEM,
        [staff.id],
        "DSA",
        dt.date(2026, 5, 31),
        "why",
        "INC-2",
        today=dt.date(2026, 5, 1),
        policy=policies.training,
    )
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "training.course_assigned"))
    assert entry.record_id == str(assignment.id)
    assert "why" not in str(entry.detail)  # the reason is encrypted, never in the trail


def test_record_completion_refuses_duplicates_and_future(db, policies, team):
    staff = make_staff(db, team)
    service.record_completion(db, SYSTEM, staff, "DSA", ON, ON, policy=policies.training)
    with pytest.raises(ValidationFailed, match="already recorded"):
        service.record_completion(db, SYSTEM, staff, "DSA", ON, ON, policy=policies.training)
    with pytest.raises(ValidationFailed, match="future"):
        service.record_completion(
            db, SYSTEM, staff, "DSA", ON + dt.timedelta(days=1), ON, policy=policies.training
        )


def test_a_past_days_status_is_kept_until_the_staff_change(db, policies, team):
    """The incident page asks for the involved staff's training on the day: the answer for
    a past day is read from the shared cache, and recomputed when a staff record changes."""
    from tests.queries import counting

    staff = make_staff(db, team)
    make_completion(db, staff, "DSA", dt.date(2025, 6, 1))
    assert status_of(db, policies, staff) is Status.COMPLIANT
    with counting(db.get_bind().engine) as statements:
        assert status_of(db, policies, staff) is Status.COMPLIANT
    assert len(statements) == 1  # the data stamp only

    staff.left_on = ON - dt.timedelta(days=1)
    db.flush()
    assert service.get_training_status_on(db, [staff.id], ON, policy=policies.training) == {}
