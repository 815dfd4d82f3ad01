"""The risk register's section of the IG report: as recorded then, and as now known."""

from __future__ import annotations

import datetime as dt

from ig.feature import ReportPeriod
from ig.risks import lifecycle
from ig.risks.figures import risks_section
from ig.risks.scoring import ReviewInput
from tests.risks.conftest import MANAGE, POLICY, make_risk

START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
RECORDED_BY = dt.datetime(2026, 3, 31, 23, 0, tzinfo=dt.UTC)  # midnight, UK summer time


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)


def review(db, risk, day, lk, im, recorded=None):
    data = ReviewInput(day, lk, im, "")
    lifecycle.review_risk(db, MANAGE, POLICY, risk.id, data, risk.version, recorded or at(day))


def values(section):
    return {figure.key: figure.value for figure in section.figures}


def test_the_section_counts_as_recorded_then_and_as_now_known(db, policies):
    rising = make_risk(db, likelihood=3, impact=4, now=at(dt.date(2026, 1, 10)), category="people")
    review(db, rising, dt.date(2026, 2, 20), 4, 4)
    make_risk(db, likelihood=3, impact=4, now=at(dt.date(2025, 6, 1)))  # due 1 Sept
    make_risk(db, likelihood=1, impact=2, now=at(dt.date(2025, 12, 1)), category="cyber")
    gone = make_risk(db, likelihood=5, impact=5, now=at(dt.date(2025, 11, 1)))
    lifecycle.close_risk(
        db, MANAGE, gone.id, "Retired", dt.date(2026, 2, 1), gone.version, at(dt.date(2026, 2, 1))
    )
    closed_late = make_risk(db, likelihood=2, impact=2, now=at(dt.date(2025, 10, 1)))
    make_risk(db, likelihood=5, impact=5, now=at(dt.date(2026, 4, 10)))  # after the period
    then = ReportPeriod(START, END, RECORDED_BY)
    before = risks_section(db, policies, then)

    # Recorded after the period, dated within it: a review and a closure.
    review(db, rising, dt.date(2026, 3, 15), 5, 4, recorded=at(dt.date(2026, 4, 5)))
    lifecycle.close_risk(
        db, MANAGE, closed_late.id, "Merged", END, closed_late.version, at(dt.date(2026, 4, 6))
    )
    again = risks_section(db, policies, then)
    known = values(risks_section(db, policies, ReportPeriod(START, END, None)))

    assert again == before  # a past report is reproducible
    figures = values(before)
    assert figures["risks.open"] == 4  # rising, overdue, the cyber one, closed_late
    assert figures["risks.above_appetite"] == 2  # 16 and 12 above 9; the cyber 2 is not
    assert (
        figures["risks.reviews_overdue"] == 2
    )  # overdue (1 Sept); closed_late (low, 1 Oct 2026)? no
    assert figures["risks.top_1.score_end"] == 16
    assert figures["risks.top_1.score_start"] is None  # not yet in the register
    assert figures["risks.top_2.score_start"] == figures["risks.top_2.score_end"] == 12
    assert known["risks.open"] == 3
    assert known["risks.top_1.score_end"] == 20
    top = next(f for f in before.figures if f.key == "risks.top_1.score_end")
    assert (top.group, top.counts_people, top.args) == ("Top risks", False, {"risk_id": rising.id})
    assert all(f.definition and not f.counts_people for f in before.figures)
