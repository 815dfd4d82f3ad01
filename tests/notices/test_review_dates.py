"""The review dates worked out in SQL agree with the rules on both databases."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import Date, literal, select

from ig.notices.rules import add_months as rule_add_months
from ig.sqldates import add_months

DAYS = [dt.date(2026, 1, 31), dt.date(2024, 2, 29), dt.date(2026, 3, 15), dt.date(2025, 12, 31)]
MONTHS = [1, 3, 12, 13]


def test_add_months_in_sql_clips_the_day_as_the_rule_does(db):
    cases = list(itertools.product(DAYS, MONTHS))
    found = db.execute(select(*(add_months(literal(d, Date), m) for d, m in cases))).one()
    assert list(found) == [rule_add_months(d, m) for d, m in cases]
