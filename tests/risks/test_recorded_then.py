"""The risk section as recorded then: a risk renamed or moved to another category after
the period keeps its name and its appetite in a past report, and moves in the current one."""

from __future__ import annotations

import datetime as dt

from ig.audit.recorded import day_end
from ig.feature import ReportPeriod
from ig.risks.figures import risks_section
from ig.risks.service import update_risk
from tests.risks.conftest import MANAGE, POLICY, make_risk, risk_input

START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


def section(db, policies, recorded_by):
    figures = risks_section(db, policies, ReportPeriod(START, END, recorded_by)).figures
    return {f.key: (f.label, f.value) for f in figures}


def test_a_title_and_category_changed_after_the_period_keep_a_past_report(db, policies):
    at = dt.datetime(2026, 1, 10, 10, tzinfo=dt.UTC)
    risk = make_risk(db, likelihood=2, impact=4, now=at, title="Paper files in transit")
    before = section(db, policies, day_end(END))

    changed = risk_input(risk.owner_user_id, title="Laptops stolen from cars", category="cyber")
    update_risk(db, MANAGE, POLICY, risk.id, changed, risk.version, at.replace(month=4))

    assert section(db, policies, day_end(END)) == before
    assert before["risks.above_appetite"][1] == 0  # 8, within the register's 9
    assert "Paper files in transit" in before["risks.top_1.score_end"][0]
    known = section(db, policies, None)
    assert known["risks.above_appetite"][1] == 1  # 8, above the cyber appetite of 6
    assert "Laptops stolen from cars" in known["risks.top_1.score_end"][0]
