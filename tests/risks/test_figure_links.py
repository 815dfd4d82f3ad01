"""Each figure of the risk register's section links to exactly the risks it counts, as
they stood at the end of the period."""

from __future__ import annotations

import datetime as dt

from ig.feature import ReportPeriod
from ig.risks import lifecycle
from ig.risks.figures import risks_section
from ig.risks.scoring import ReviewInput
from tests.figure_links import check_links
from tests.risks.conftest import MANAGE, POLICY, make_risk

PERIOD = ReportPeriod(dt.date(2026, 1, 1), dt.date(2026, 3, 31), None)


def at(month: int, day: int, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, 10, tzinfo=dt.UTC)


def test_every_linked_figure_lists_exactly_its_risks(client, db, login_as, policies):
    rising = make_risk(db, likelihood=3, impact=4, now=at(1, 10), category="people")
    for day, (lk, im) in ((dt.date(2026, 2, 20), (4, 4)), (dt.date(2026, 4, 5), (1, 2))):
        data = ReviewInput(day, lk, im, "")
        lifecycle.review_risk(db, MANAGE, POLICY, rising.id, data, rising.version, at(4, 5))
    make_risk(db, likelihood=3, impact=4, now=at(6, 1, 2025))  # review due 1 September 2025
    make_risk(db, likelihood=1, impact=2, now=at(12, 1, 2025), category="cyber")
    gone = make_risk(db, likelihood=5, impact=5, now=at(11, 1, 2025))
    lifecycle.close_risk(
        db, MANAGE, gone.id, "Retired", dt.date(2026, 2, 1), gone.version, at(2, 1)
    )
    later = make_risk(db, likelihood=2, impact=2, now=at(10, 1, 2025))
    lifecycle.close_risk(
        db, MANAGE, later.id, "Merged", dt.date(2026, 4, 6), later.version, at(4, 6)
    )
    make_risk(db, likelihood=5, impact=5, now=at(4, 10))  # after the period

    section = risks_section(db, policies, PERIOD)
    values = {figure.key: figure.value for figure in section.figures}
    assert (values["risks.open"], values["risks.above_appetite"]) == (4, 2)
    checked = check_links(client, login_as, policies, section, one_record=("risks.show",))
    assert {"risks.open", "risks.above_appetite", "risks.reviews_overdue"} <= set(checked)
