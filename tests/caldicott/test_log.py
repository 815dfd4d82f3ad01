"""The log's queries: status filters, sorting, scoping, the queue and annual figures."""

from __future__ import annotations

import datetime as dt

import pytest

from ig.caldicott import log
from tests import factories
from tests.caldicott.conftest import NOW, assess, sign

pytestmark = pytest.mark.usefixtures("isolated")
TODAY = NOW.date()


@pytest.fixture
def stages(db, people, policy):
    """One request at each stage; the decided one has a review date next month."""
    staff = people["staff"][0]
    officer = people["ig_officer"][1]
    waiting = factories.make_caldicott_request(db, staff, now=NOW - dt.timedelta(days=3))
    assessed = factories.make_caldicott_request(db, staff, now=NOW - dt.timedelta(days=9))
    assess(db, policy, officer, assessed)
    decided = factories.make_caldicott_request(
        db, staff, request_type="research", now=NOW - dt.timedelta(days=20)
    )
    assess(db, policy, officer, decided)
    sign(
        db,
        policy,
        people["caldicott_guardian"],
        decided,
        now=NOW,
        review_on=TODAY + dt.timedelta(days=20),
    )
    later = factories.make_caldicott_request(
        db, staff, request_type="research", now=NOW - dt.timedelta(days=30)
    )
    assess(db, policy, officer, later)
    sign(
        db,
        policy,
        people["caldicott_guardian"],
        later,
        now=NOW,
        review_on=TODAY + dt.timedelta(days=200),
    )
    return {"waiting": waiting, "assessed": assessed, "due": decided, "decided": later}


def _refs(page):
    return [row.reference for row in page.rows]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("awaiting_assessment", ["waiting"]),
        ("awaiting_decision", ["assessed"]),
        ("due_for_review", ["due"]),
        ("decided", ["decided"]),
    ],
)
def test_status_filters(db, people, policy, stages, status, expected):
    page = log.list_log(db, people["ig_officer"][1], policy, log.LogFilter(status=status), TODAY)
    assert _refs(page) == [stages[name].reference for name in expected]


def test_sorting_and_paging(db, people, policy, stages):
    actor = people["siro"][1]
    oldest_first = log.LogFilter(sort="received", descending=False)
    page = log.list_log(db, actor, policy, oldest_first, TODAY, page=1, per_page=3)
    assert _refs(page) == [stages[n].reference for n in ("decided", "due", "assessed")]
    assert page.pages == 2
    second = log.list_log(db, actor, policy, oldest_first, TODAY, page=2, per_page=3)
    assert _refs(second) == [stages["waiting"].reference]


def test_people_without_read_see_only_their_own(db, people, policy, stages):
    page = log.list_log(db, people["manager"][1], policy, log.LogFilter(), TODAY)
    assert page.total == 0


def test_the_queue_is_oldest_first_with_reviews_coming_due(db, people, policy, stages):
    queue = log.guardian_queue(db, policy, TODAY)
    assert [r.reference for r in queue.awaiting_decision] == [stages["assessed"].reference]
    assert [r.reference for r in queue.reviews_due] == [stages["due"].reference]
    assert queue.awaiting_assessment_total == 1


def test_annual_figures(db, people, policy, stages):
    figures = log.annual_figures(db, log.financial_year(TODAY))
    assert figures.total == 2
    assert figures.by_type_and_outcome == [("research", "approved_with_conditions", 2)]
    [(kind, count, average, longest, on_time)] = figures.timing_by_type
    assert (kind, count, average, longest) == ("research", 2, 25.0, 30)
    assert on_time == 0  # both were needed 10 days after receipt
    assert log.annual_figures(db, 2020).total == 0


def test_csv_escapes_formulas():
    assert log.safe_cell("=SUM(A1)") == "'=SUM(A1)"
    assert log.safe_cell("@x") == "'@x"
    assert log.safe_cell("plain") == "plain"
    assert log.safe_cell(None) == ""


@pytest.mark.parametrize("descending", [True, False])
def test_sorting_by_decision_date_puts_undecided_last(db, people, policy, stages, descending):
    filters = log.LogFilter(sort="decided", descending=descending)
    page = log.list_log(db, people["siro"][1], policy, filters, TODAY)
    assert [row.decided_at is None for row in page.rows] == [False, False, True, True]
