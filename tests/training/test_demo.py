"""The training demo tells the late-export story: its last year end has two figures."""

from __future__ import annotations

import datetime as dt

from ig.training.demo import load_training_demo
from ig.training.figures import course_figures, overall
from ig.training.rules import Basis
from tests.factories import make_user

TODAY = dt.date(2026, 12, 6)


def test_the_last_year_end_differs_as_recorded_then_and_as_now_known(db, policies):
    policy = policies.training
    manager, staff = make_user(db, roles=("manager",)), make_user(db)
    load_training_demo(db, policy, manager.id, staff.id, TODAY, people=120)
    year_end = dt.date(2026, 3, 31)

    def compliant(basis: Basis) -> tuple[int, int]:
        figure = overall(course_figures(db, policy, year_end, basis=basis), "All", 95)
        return figure.compliant, figure.denominator

    then, now = compliant(Basis.AS_RECORDED), compliant(Basis.AS_NOW_KNOWN)
    assert then[1] == now[1]  # the same people and courses are counted
    assert now[0] > then[0]  # the late export's completions count only as now known
    today_then, today_now = (
        overall(course_figures(db, policy, TODAY, basis=b), "All", 95).compliant for b in Basis
    )
    assert today_then == today_now  # nothing recorded later can be dated today or before
