"""The 72-hour clocks: the pure rule state by state, and the register's SQL agreeing with it
on a real database for any mix of facts (hypothesis), the filters and the home-page counts."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from ig.incidents import export, home_counts, register
from ig.incidents.deadlines import OVERDUE, Clock, ClockFacts, deadline_status
from ig.incidents.models import Incident, Kind, Status
from ig.incidents.notification_models import Regulator
from ig.incidents.register import RegisterFilter
from tests.incidents.clocks import State, make_incident
from tests.incidents.conftest import NOW

HOUR = dt.timedelta(hours=1)
AWARE = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
DUE = AWARE + 72 * HOUR
BEFORE, AFTER = DUE - HOUR, AWARE + 80 * HOUR


def facts(**changes: object) -> ClockFacts:
    """A triaged breach aware at AWARE, ungraded, nothing recorded; changed as asked."""
    base = ClockFacts(
        kind=Kind.BREACH,
        status=Status.TRIAGED,
        deadline_at=DUE,
        is_graded=False,
        is_ico_notifiable=False,
        is_dhsc_notifiable=False,
        awaits_confirmation=False,
        is_overridden=False,
        has_no_notification_reason=False,
        ico_notified_at=None,
        dhsc_notified_at=None,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


GRADED_LOW = {"is_graded": True}
GRADED_ICO = {"is_graded": True, "is_ico_notifiable": True}
GRADED_DHSC = {"is_graded": True, "is_ico_notifiable": True, "is_dhsc_notifiable": True}


@pytest.mark.parametrize(
    ("changes", "before", "after"),
    [
        # The clock runs from awareness whatever the grading.
        ({}, (Clock.AWAITING_GRADING, Clock.NOT_KNOWN), (Clock.GRADING_PASSED, Clock.NOT_KNOWN)),
        (
            {**GRADED_LOW, "awaits_confirmation": True},
            (Clock.AWAITING_CONFIRMATION, Clock.NOT_REQUIRED),
            (Clock.CONFIRMATION_PASSED, Clock.NOT_REQUIRED),
        ),
        # Confirmation pending on a notifiable grading: the ICO must still be told in time.
        (
            {**GRADED_ICO, "awaits_confirmation": True},
            (Clock.RUNNING, Clock.NOT_REQUIRED),
            (Clock.NOTIFICATION_PASSED, Clock.NOT_REQUIRED),
        ),
        (
            GRADED_ICO,
            (Clock.RUNNING, Clock.NOT_REQUIRED),
            (Clock.NOTIFICATION_PASSED, Clock.NOT_REQUIRED),
        ),
        (
            GRADED_DHSC,
            (Clock.RUNNING, Clock.RUNNING),
            (Clock.NOTIFICATION_PASSED, Clock.NOTIFICATION_PASSED),
        ),
        # Settled below the threshold: confirmed, needing no confirmation, or overridden.
        (
            GRADED_LOW,
            (Clock.NOT_REQUIRED, Clock.NOT_REQUIRED),
            (Clock.NOT_REQUIRED, Clock.NOT_REQUIRED),
        ),
        (
            {**GRADED_LOW, "awaits_confirmation": True, "is_overridden": True},
            (Clock.NOT_REQUIRED, Clock.NOT_REQUIRED),
            (Clock.NOT_REQUIRED, Clock.NOT_REQUIRED),
        ),
        # A decision not to notify, with reasons, ends both clocks, graded or not.
        (
            {"has_no_notification_reason": True},
            (Clock.DECIDED_NOT_TO_NOTIFY, Clock.DECIDED_NOT_TO_NOTIFY),
            (Clock.DECIDED_NOT_TO_NOTIFY, Clock.DECIDED_NOT_TO_NOTIFY),
        ),
        (
            {**GRADED_DHSC, "has_no_notification_reason": True},
            (Clock.DECIDED_NOT_TO_NOTIFY, Clock.DECIDED_NOT_TO_NOTIFY),
            (Clock.DECIDED_NOT_TO_NOTIFY, Clock.DECIDED_NOT_TO_NOTIFY),
        ),
        # Notified: in time, or late; DHSC still owed after the ICO was told.
        (
            {**GRADED_DHSC, "ico_notified_at": AWARE + 10 * HOUR},
            (Clock.MET, Clock.RUNNING),
            (Clock.MET, Clock.NOTIFICATION_PASSED),
        ),
        (
            {**GRADED_DHSC, "ico_notified_at": DUE + HOUR, "dhsc_notified_at": DUE},
            (Clock.LATE, Clock.MET),
            (Clock.LATE, Clock.MET),
        ),
        # No clock: a near miss, not an incident, not yet aware, withdrawn, a duplicate,
        # closed (closing needs the decision recorded).
        ({"kind": Kind.NEAR_MISS}, (Clock.NONE, Clock.NONE), (Clock.NONE, Clock.NONE)),
        (
            {**GRADED_DHSC, "kind": Kind.NEAR_MISS},
            (Clock.NONE, Clock.NONE),
            (Clock.NONE, Clock.NONE),
        ),
        ({"kind": Kind.NOT_INCIDENT}, (Clock.NONE, Clock.NONE), (Clock.NONE, Clock.NONE)),
        ({"deadline_at": None}, (Clock.NONE, Clock.NONE), (Clock.NONE, Clock.NONE)),
        ({"status": Status.WITHDRAWN}, (Clock.NONE, Clock.NONE), (Clock.NONE, Clock.NONE)),
        ({"status": Status.DUPLICATE}, (Clock.NONE, Clock.NONE), (Clock.NONE, Clock.NONE)),
        (
            {**GRADED_ICO, "status": Status.CLOSED},
            (Clock.NONE, Clock.NONE),
            (Clock.NONE, Clock.NONE),
        ),
        # A report aware but not yet triaged counts as a breach until triage says otherwise.
        (
            {"kind": None, "status": Status.REPORTED},
            (Clock.AWAITING_GRADING, Clock.NOT_KNOWN),
            (Clock.GRADING_PASSED, Clock.NOT_KNOWN),
        ),
    ],
)
def test_each_state_of_the_clocks(changes, before, after):
    for now, expected in ((BEFORE, before), (AFTER, after)):
        found = deadline_status(facts(**changes), now)
        assert (found.ico.clock, found.dhsc.clock) == expected, now
        assert found.is_overdue == (expected[0] in OVERDUE or expected[1] in OVERDUE)


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ({}, "deadline passed, not yet graded"),
        (
            {**GRADED_LOW, "awaits_confirmation": True},
            "deadline passed, grading below the threshold not yet confirmed",
        ),
        (GRADED_ICO, "deadline passed, not yet notified"),
        (GRADED_LOW, "not required on the grading"),
        ({"has_no_notification_reason": True}, "not notifying, reasons recorded"),
    ],
)
def test_what_the_ico_line_says_80_hours_after_awareness(changes, text):
    status = deadline_status(facts(**changes), AFTER).ico
    assert status.text == text
    assert status.due_at == DUE
    if status.is_overdue:
        assert status.time_left == "overdue by 8 hours"


def test_the_deadline_itself_is_still_in_time():
    assert deadline_status(facts(), DUE).ico.clock is Clock.AWAITING_GRADING
    assert not deadline_status(facts(), DUE).ico.has_passed
    assert deadline_status(facts(**GRADED_LOW), DUE + HOUR).ico.has_passed
    assert deadline_status(facts(), DUE + dt.timedelta(seconds=1)).ico.clock is Clock.GRADING_PASSED
    assert deadline_status(facts(), BEFORE).ico.time_left == "1 hour left"


def test_a_near_miss_shows_no_deadline():
    status = deadline_status(facts(kind=Kind.NEAR_MISS, **GRADED_DHSC), AFTER)
    assert status.ico.due_at is None
    assert status.dhsc.due_at is None
    assert not status.is_overdue


instants = st.integers(-10, 200).map(lambda hours: AWARE + hours * HOUR)
any_facts = st.builds(
    ClockFacts,
    kind=st.sampled_from([None, *Kind]),
    status=st.sampled_from(list(Status)),
    deadline_at=st.none() | st.just(DUE),
    is_graded=st.booleans(),
    is_ico_notifiable=st.booleans(),
    is_dhsc_notifiable=st.booleans(),
    awaits_confirmation=st.booleans(),
    is_overridden=st.booleans(),
    has_no_notification_reason=st.booleans(),
    ico_notified_at=st.none() | instants,
    dhsc_notified_at=st.none() | instants,
)


@given(any_facts, instants, instants)
def test_once_overdue_it_stays_overdue_until_something_is_recorded(clock, now, later):
    earlier, later = sorted((now, later))
    first, second = deadline_status(clock, earlier), deadline_status(clock, later)
    if first.ico.is_overdue:
        assert second.ico.is_overdue
    if first.dhsc.is_overdue:
        assert second.dhsc.is_overdue
    assert not (first.is_overdue and earlier <= DUE)  # never before the deadline


@given(any_facts, instants)
def test_near_misses_and_notified_breaches_are_never_overdue(clock, now):
    found = deadline_status(clock, now)
    if clock.kind in (Kind.NEAR_MISS, Kind.NOT_INCIDENT) or clock.deadline_at is None:
        assert not found.is_overdue
        assert found.ico.clock in (Clock.NONE, Clock.MET, Clock.LATE)
    if clock.ico_notified_at is not None:
        assert not found.ico.is_overdue
    if clock.dhsc_notified_at is not None:
        assert not found.dhsc.is_overdue
    if clock.has_no_notification_reason:
        assert not found.is_overdue
    if found.is_overdue:
        assert "deadline passed" in (found.ico.text + found.dhsc.text)


@given(any_facts, instants)
def test_an_ungraded_open_breach_past_its_deadline_is_always_flagged(clock, now):
    flagged = (
        clock.kind in (None, Kind.BREACH)
        and clock.status in (Status.REPORTED, Status.TRIAGED, Status.INVESTIGATING)
        and clock.deadline_at is not None
        and now > clock.deadline_at
        and not clock.is_graded
        and clock.ico_notified_at is None
        and not clock.has_no_notification_reason
    )
    if flagged:
        assert deadline_status(clock, now).ico.text == "deadline passed, not yet graded"


# The SQL filters against the rule, on a real database: hypothesis draws a handful of
# incidents in any state and an instant; each draw is written, compared and rolled back.
# Weighted towards open breaches with nothing recorded, where the clauses differ most.
mostly = st.sampled_from([True, True, True, False])
rarely = st.sampled_from([False, False, False, True])
STATES = st.builds(
    State,
    kind=st.sampled_from([Kind.BREACH, Kind.BREACH, Kind.BREACH, None, *Kind]),
    status=st.sampled_from([Status.TRIAGED, Status.INVESTIGATING, Status.NOTIFIED, *Status]),
    aware=mostly.flatmap(lambda aware: st.integers(-100, 0) if aware else st.none()),
    graded=st.booleans(),
    ico=st.booleans(),
    dhsc=st.booleans(),
    needs_confirmation=st.booleans(),
    confirmed=st.booleans(),
    overridden=st.booleans(),
    no_notification_reason=rarely,
    ico_sent=rarely.flatmap(lambda sent: st.integers(1, 120) if sent else st.none()),
    dhsc_sent=st.booleans().flatmap(lambda sent: st.integers(1, 120) if sent else st.none()),
    dhsc_follow_up_only=st.booleans(),
)


def _ids(db, clause, made):
    return set(db.scalars(select(Incident.id).where(clause, Incident.id.in_(made))))


def test_the_sql_filters_agree_with_the_rule_for_any_mix_of_facts(db, policy_file, team):
    base = dt.datetime(2026, 3, 27, 12, 0, tzinfo=dt.UTC)  # the clocks change in the 72 hours

    @settings(
        max_examples=80,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(STATES, min_size=1, max_size=10), st.integers(-10, 200))
    def check(states, hours):
        now = base + hours * HOUR
        savepoint = db.begin_nested()
        try:
            made = [make_incident(db, policy_file, team.id, state, base) for state in states]
            ids = [incident.id for incident in made]
            found = register.list_deadlines(db, made, now)
            ico = {i for i, d in found.items() if d.ico.is_overdue}
            dhsc = {i for i, d in found.items() if d.dhsc.is_overdue}
            assert _ids(db, register.ico_overdue_clause(now), ids) == ico
            assert _ids(db, register.dhsc_overdue_clause(now), ids) == dhsc
            assert _ids(db, register.overdue_clause(now), ids) == ico | dhsc
            assert _ids(db, register.ico_pending_clause(), ids) == {
                i for i, d in found.items() if d.ico.is_pending
            }
            assert _ids(db, register.dhsc_pending_clause(), ids) == {
                i for i, d in found.items() if d.dhsc.is_pending
            }
            counts = home_counts.count_overdue_by_reason(db, now)
            clocks = [d.ico.clock for i, d in found.items() if i in ico]
            assert counts.ungraded == clocks.count(Clock.GRADING_PASSED)
            assert counts.unconfirmed == clocks.count(Clock.CONFIRMATION_PASSED)
            assert counts.ico == clocks.count(Clock.NOTIFICATION_PASSED)
            assert counts.dhsc == len(dhsc)
            assert home_counts.count_overdue(db, now) == len(ico | dhsc)
        finally:
            savepoint.rollback()

    assert db.scalar(select(func.count()).select_from(Incident)) == 0
    check()


def _agree(db, made, now):
    ids = [incident.id for incident in made]
    found = register.list_deadlines(db, made, now)
    ico = {i for i, d in found.items() if d.ico.is_overdue}
    dhsc = {i for i, d in found.items() if d.dhsc.is_overdue}
    assert _ids(db, register.ico_overdue_clause(now), ids) == ico
    assert _ids(db, register.dhsc_overdue_clause(now), ids) == dhsc
    return ico, dhsc


def test_the_sql_filters_agree_with_the_rule_for_every_mix_of_recorded_facts(db, policy, team):
    """Every combination of the recorded facts once, on an open breach and on the other
    kinds and statuses, before and after the deadline."""
    base = NOW - 80 * HOUR
    flags = ("graded", "ico", "dhsc", "needs_confirmation", "confirmed", "overridden")
    made = []
    for values in itertools.product((False, True), repeat=len(flags)):
        for extra in (
            {},
            {"no_notification_reason": True},
            {"ico_sent": 10},
            {"ico_sent": 90, "dhsc_sent": 20},
            {"dhsc_sent": 20, "dhsc_follow_up_only": True},
        ):
            state = State(**dict(zip(flags, values, strict=True)), **extra)
            made.append(make_incident(db, policy, team.id, state, base))
    for kind, status in [
        (Kind.NEAR_MISS, Status.TRIAGED),
        (None, Status.REPORTED),
        (Kind.BREACH, Status.CLOSED),
        (Kind.BREACH, Status.WITHDRAWN),
    ]:
        for graded, ico in itertools.product((False, True), repeat=2):
            state = State(kind=kind, status=status, graded=graded, ico=ico, dhsc=ico)
            made.append(make_incident(db, policy, team.id, state, base))
    before_ico, before_dhsc = _agree(db, made, NOW - 9 * HOUR)
    assert before_ico == before_dhsc == set()
    ico, dhsc = _agree(db, made, NOW)
    assert len(ico) > 100  # the combinations do reach the overdue states
    assert dhsc


@pytest.fixture
def clocks(db, policy, team):
    """One incident in each state that matters, aware 80 hours before NOW (clock passed)."""
    states = {
        "ungraded": State(),
        "unconfirmed": State(graded=True, needs_confirmation=True),
        "confirmed_low": State(graded=True, needs_confirmation=True, confirmed=True),
        "settled_low": State(graded=True),
        "not_notifying": State(no_notification_reason=True),
        "ico_due": State(graded=True, ico=True),
        "dhsc_due": State(graded=True, ico=True, dhsc=True, ico_sent=10),
        "dhsc_told": State(graded=True, ico=True, dhsc=True, ico_sent=10, dhsc_sent=20),
        "near_miss": State(kind=Kind.NEAR_MISS),
        "recent": State(aware=78),
        "untriaged": State(kind=None, status=Status.REPORTED, aware=None),
    }
    return {
        name: make_incident(db, policy, team.id, state, NOW - 80 * HOUR)
        for name, state in states.items()
    }


def names(page, clocks):
    by_id = {incident.id: name for name, incident in clocks.items()}
    return {by_id[incident.id] for incident, _ in page.rows}


def test_the_overdue_filter_shows_every_breach_past_a_deadline(db, officer, clocks):
    page = register.list_incidents(db, officer, RegisterFilter(overdue=True), NOW)
    assert names(page, clocks) == {"ungraded", "unconfirmed", "ico_due", "dhsc_due"}
    assert page.total == 4


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (Kind.NEAR_MISS, {"near_miss"}),
        (
            Kind.BREACH,
            {
                "ungraded",
                "unconfirmed",
                "confirmed_low",
                "settled_low",
                "not_notifying",
                "ico_due",
                "dhsc_due",
                "dhsc_told",
                "recent",
            },
        ),
    ],
)
def test_the_register_filters_breaches_and_near_misses(db, officer, clocks, kind, expected):
    page = register.list_incidents(db, officer, RegisterFilter(kind=kind), NOW)
    assert names(page, clocks) == expected
    overdue = register.list_incidents(db, officer, RegisterFilter(kind=kind, overdue=True), NOW)
    assert names(overdue, clocks) == expected & {"ungraded", "unconfirmed", "ico_due", "dhsc_due"}


def test_the_home_page_counts_say_what_each_overdue_breach_waits_on(db, clocks):
    counts = home_counts.count_overdue_by_reason(db, NOW)
    assert counts == home_counts.OverdueCounts(ungraded=1, unconfirmed=1, ico=1, dhsc=1)
    assert home_counts.count_overdue(db, NOW) == 4
    # An hour before the deadline of the oldest clocks, nothing is overdue yet.
    assert home_counts.count_overdue(db, NOW - 9 * HOUR) == 0


def test_running_clocks_for_the_reminders(db, clocks):
    ico = {
        incident.id: status
        for incident, status in register.list_running_clocks(db, Regulator.ICO, NOW)
    }
    by_id = {incident.id: name for name, incident in clocks.items()}
    assert {by_id[i] for i in ico} == {"ungraded", "unconfirmed", "ico_due", "recent"}
    assert ico[clocks["ungraded"].id].text == "deadline passed, not yet graded"
    assert ico[clocks["recent"].id].clock is Clock.AWAITING_GRADING
    dhsc = register.list_running_clocks(db, Regulator.DHSC, NOW)
    assert [(by_id[incident.id], status.clock) for incident, status in dhsc] == [
        ("dhsc_due", Clock.NOTIFICATION_PASSED)
    ]


def test_the_deadline_column_for_a_page_takes_one_query(db, clocks, engine):
    from ig.incidents.summary import register_deadlines
    from tests.queries import counting

    incidents = list(clocks.values())
    with counting(engine, selects_only=True) as statements:
        lines = register_deadlines(db, incidents, NOW)
    assert len(statements) == 1
    shown = {
        name: [(line.label, line.status.text) for line in lines[i.id]] for name, i in clocks.items()
    }
    assert shown["ungraded"] == [("ICO", "deadline passed, not yet graded")]
    assert shown["dhsc_due"] == [
        ("ICO", "notified within 72 hours"),
        ("DHSC", "deadline passed, not yet notified"),
    ]
    assert shown["dhsc_told"][1] == ("DHSC", "notified within 72 hours")
    assert shown["near_miss"] == []
    assert shown["untriaged"] == []
    assert shown["settled_low"] == [("ICO", "not required on the grading")]


def test_the_csv_export_carries_both_deadlines(db, clocks, make_actor):
    text = "".join(export.export_csv(db, make_actor("auditor"), RegisterFilter(), NOW))
    rows = {row[0]: row for row in csv.reader(io.StringIO(text))}
    header = rows.pop("Reference")
    ico, dhsc = header.index("ICO 72-hour deadline"), header.index("DHSC 72-hour deadline")

    def cells(name):
        row = rows[clocks[name].reference]
        return row[ico], row[dhsc]

    assert cells("ungraded") == ("deadline passed, not yet graded", "depends on the grading")
    assert cells("dhsc_due") == ("notified within 72 hours", "deadline passed, not yet notified")
    assert cells("dhsc_told") == ("notified within 72 hours", "notified within 72 hours")
    assert cells("near_miss") == ("no 72-hour clock", "no 72-hour clock")
    assert cells("settled_low") == ("not required on the grading", "not required on the grading")


def _executed(db, engine, query):
    """The statement and parameters ``query`` runs as, with its constants inline."""
    captured = []

    def capture(_conn, _cursor, statement, parameters, *_args):
        captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        db.execute(query).all()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return captured[-1]


def test_the_overdue_queries_can_read_the_partial_indexes(db, clocks, engine):
    """The overdue filter can be answered from the two small partial indexes on both
    databases: their predicates are the clauses themselves, with inline constants. (Which
    the planner picks depends on the statistics; given them it picks these.)"""
    connection = db.connection()
    count = select(func.count()).select_from(Incident)
    if engine.dialect.name == "postgresql":
        statement, parameters = _executed(db, engine, count.where(register.overdue_clause(NOW)))
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a handful of rows
        plan = "\n".join(connection.exec_driver_sql("EXPLAIN " + statement, parameters).scalars())
        assert "ix_incidents_ico_clock" in plan, plan
        assert "ix_incidents_dhsc_clock" in plan, plan
        return
    # SQLite refuses INDEXED BY ("no query solution") for an index whose predicate the
    # query does not imply.
    for index, clause in (
        ("ix_incidents_ico_clock", register.ico_overdue_clause(NOW)),
        ("ix_incidents_dhsc_clock", register.dhsc_overdue_clause(NOW)),
    ):
        statement, parameters = _executed(db, engine, count.where(clause))
        forced = statement.replace("FROM incidents", f"FROM incidents INDEXED BY {index}", 1)
        plan = [
            row[-1]
            for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + forced, parameters)
        ]
        assert any(index in step for step in plan), plan
