"""The DPIA section of the IG report: open, reviews overdue, high residual risk and ICO
consultations, as recorded then and as now known."""

from __future__ import annotations

import datetime as dt

from ig.audit.recorded import day_end
from ig.dpia import signoff
from ig.dpia.figures import dpia_section
from ig.dpia.models import Dpia, IcoDecision
from ig.dpia.register import first_review_still_ahead
from ig.dpia.rules import add_months
from ig.feature import ReportPeriod
from tests.dpia.conftest import HIGH, LOW, make_dpia, officer, siro
from tests.queries import counting
from tests.section_checks import check_shape

START, END = dt.date(2026, 7, 1), dt.date(2026, 9, 30)


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 11, 0, tzinfo=dt.UTC)


def values(db, policies, recorded_by: dt.datetime | None) -> dict[str, float | None]:
    section = dpia_section(db, policies, ReportPeriod(START, END, recorded_by))
    check_shape(section)
    return {figure.key: figure.value for figure in section.figures}


def test_reviews_and_consultations_count_from_when_they_were_recorded(db, policies):
    policy, team, signer = policies.dpia, officer(db), siro(db)

    def version(dpia_id: int) -> int:
        return db.get(Dpia, dpia_id).version

    def ico(dpia_id: int, decision: IcoDecision, on: dt.date | None, when: dt.datetime) -> None:
        data = signoff.IcoConsultation(decision, on, "ICO/1" if on else "", "Advice")
        signoff.record_ico_consultation(db, team, dpia_id, data, version(dpia_id), when)

    def dpia(created: dt.datetime, risk, title: str) -> int:
        return make_dpia(db, policy, team, risks=(risk,), submit=True, now=created, title=title)

    reviewed_late = dpia(at(2025, 5, 1), HIGH, "Reviewed late")
    ico(reviewed_late, IcoDecision.CONSULTED, dt.date(2025, 5, 9), at(2025, 5, 10))
    signoff.sign_off_dpia(db, signer, policy, reviewed_late, version(reviewed_late), at(2025, 6, 1))
    # Review due 1 June 2026, done in the quarter but recorded after it.
    signoff.record_review(
        db,
        team,
        policy,
        reviewed_late,
        dt.date(2026, 9, 29),
        version(reviewed_late),
        at(2026, 10, 3),
    )
    consulted_late = dpia(at(2026, 7, 5), HIGH, "Consulted late")
    ico(consulted_late, IcoDecision.CONSULTED, dt.date(2026, 9, 20), at(2026, 10, 4))
    signoff.sign_off_dpia(
        db, signer, policy, consulted_late, version(consulted_late), at(2026, 10, 5)
    )
    high = dpia(at(2026, 7, 1), HIGH, "High risk accepted")
    ico(high, IcoDecision.NOT_CONSULTED, None, at(2026, 7, 2))
    signoff.sign_off_dpia(db, signer, policy, high, version(high), at(2026, 8, 15))
    low = dpia(at(2026, 7, 10), LOW, "Low risk")
    signoff.sign_off_dpia(db, signer, policy, low, version(low), at(2026, 8, 1))
    make_dpia(db, policy, team, now=at(2026, 10, 1), title="Started after the quarter")
    make_dpia(db, policy, team, criteria=(), now=at(2026, 7, 3), title="Screened: not needed")

    then = values(db, policies, day_end(END))
    db.flush()
    with counting(db.get_bind(), selects_only=True) as statements:
        now = values(db, policies, None)
    assert len(statements) == 1  # aggregates: never a query per record

    assert (then["dpia.review_overdue"], now["dpia.review_overdue"]) == (1, 0)
    assert (then["dpia.ico_consulted"], now["dpia.ico_consulted"]) == (0, 1)
    assert then["dpia.open"] == now["dpia.open"] == 1  # signed off after the quarter
    assert then["dpia.high_residual_signed_off"] == now["dpia.high_residual_signed_off"] == 1


def test_a_dpia_signed_off_before_the_threshold_is_due_for_review_by_then():
    for end in (dt.date(2026, 9, 30), dt.date(2028, 2, 29), dt.date(2026, 3, 31)):
        first = first_review_still_ahead(end, 12)
        assert add_months(first, 12) >= end
        assert add_months(first - dt.timedelta(days=1), 12) < end
