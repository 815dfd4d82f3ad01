"""The information rights section of the IG report: its figures as recorded then and as
now known, with facts recorded after the report's cut-off."""

from __future__ import annotations

import datetime as dt

from ig.audit.recorded import day_end
from ig.feature import ReportPeriod
from ig.rights import handling, service
from ig.rights.figures import rights_section
from ig.rights.models import Outcome, PauseReason
from tests.queries import counting
from tests.rights.helpers import actor, request_input
from tests.section_checks import check_shape

START, END = dt.date(2026, 7, 1), dt.date(2026, 9, 30)


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 11, 0, tzinfo=dt.UTC)


def values(db, policies, recorded_by: dt.datetime | None) -> dict[str, float | None]:
    section = rights_section(db, policies, ReportPeriod(START, END, recorded_by))
    return {figure.key: figure.value for figure in section.figures}


def test_late_facts_count_as_now_known_but_not_as_recorded_then(db, policies):
    team, rights = actor(db), policies.rights

    def log(type_key: str, received: dt.date, logged: dt.datetime) -> int:
        data = request_input(type_key=type_key, received_on=received)
        return service.log_request(db, team, rights, data, logged).id

    answered = log("subject_access", dt.date(2026, 7, 6), at(7, 6))
    handling.close_request(
        db, team, answered, Outcome.COMPLETE, dt.date(2026, 7, 20), "", at(7, 20)
    )
    late_foi = log("foi", dt.date(2026, 8, 3), at(8, 3))
    # Sent after its 20 working days, and the closure recorded after the quarter.
    handling.close_request(
        db, team, late_foi, Outcome.COMPLETE, dt.date(2026, 9, 28), "", at(10, 5)
    )
    log("erasure", dt.date(2026, 9, 15), at(10, 2))  # logged after the quarter
    paused = log("subject_access", dt.date(2026, 9, 1), at(9, 1))
    handling.extend_deadline(
        db, team, rights, paused, dt.date(2026, 9, 12), 2, "Complex", at(9, 12)
    )
    handling.pause_clock(
        db, team, rights, paused, PauseReason.IDENTITY, dt.date(2026, 9, 10), None, at(10, 3)
    )
    log("complaint", dt.date(2026, 7, 10), at(7, 10))
    # Answered while waiting for proof of identity, after the deadline the clock had
    # before it stopped: still in time.
    waited = log("subject_access", dt.date(2026, 7, 1), at(7, 1))
    handling.pause_clock(
        db, team, rights, waited, PauseReason.IDENTITY, dt.date(2026, 7, 20), None, at(7, 20)
    )
    handling.close_request(db, team, waited, Outcome.PARTIAL, dt.date(2026, 8, 20), "ID", at(8, 20))
    log("subject_access", dt.date(2026, 6, 30), at(6, 30))  # before the quarter

    then = values(db, policies, day_end(END))
    db.flush()
    with counting(db.get_bind(), selects_only=True) as statements:
        now = values(db, policies, None)
    assert len(statements) == 4  # aggregates: never a query per record

    assert (then["rights.received"], now["rights.received"]) == (5, 6)
    assert (then["rights.closed"], now["rights.closed"]) == (2, 3)
    assert (then["rights.foi_eir_on_time"], now["rights.foi_eir_on_time"]) == (None, 0.0)
    assert (then["rights.paused"], now["rights.paused"]) == (1, 2)
    assert then["rights.on_time"] == now["rights.on_time"] == 100.0
    assert then["rights.on_time.subject_access"] == 100.0
    assert then["rights.on_time.erasure"] is None
    assert then["rights.extended"] == now["rights.extended"] == 1
    assert then["rights.complaints"] == 1


def test_the_section_is_well_formed_and_counts_nothing_in_an_empty_register(db, policies):
    section = rights_section(db, policies, ReportPeriod(START, END, None))
    check_shape(section)
    assert {f.value for f in section.figures if f.unit == "count"} == {0}
    assert {f.value for f in section.figures if f.unit == "percent"} == {None}
