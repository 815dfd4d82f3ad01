"""The information asset section of the IG report: assets on the register and overdue
confirmations at the period's end, as recorded then and as now known."""

from __future__ import annotations

import datetime as dt

from ig.assets.figures import assets_section
from ig.assets.service import confirm_asset
from ig.audit.recorded import day_end
from ig.auth.rules import Actor
from ig.feature import ReportPeriod
from tests.factories import make_asset, make_user
from tests.queries import counting
from tests.section_checks import check_shape

START, END = dt.date(2026, 7, 1), dt.date(2026, 9, 30)


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 11, 0, tzinfo=dt.UTC)


def values(db, policies, recorded_by: dt.datetime | None) -> dict[str, float | None]:
    section = assets_section(db, policies, ReportPeriod(START, END, recorded_by))
    check_shape(section)
    return {figure.key: figure.value for figure in section.figures}


def test_confirmations_count_from_when_they_were_recorded(db, policies):
    owner = make_user(db, roles=("manager",))
    iao = Actor(owner.id, owner.email, frozenset({"manager"}), frozenset({"home.view"}))

    def confirm(asset, when: dt.datetime) -> None:
        confirm_asset(db, iao, policies.assets, asset.id, asset.version, when)

    never = make_asset(db, owner, name="Never confirmed", now=at(2025, 1, 10))
    late = make_asset(db, owner, name="Confirmed late", now=at(2025, 1, 10))
    confirm(late, at(2025, 9, 1))  # next due 1 September 2026
    confirm(late, at(2026, 9, 20))  # after the mid-quarter cut-off
    make_asset(db, owner, name="Added on the last day", now=at(2026, 9, 30))
    make_asset(db, owner, name="Added after the quarter", now=at(2026, 10, 5))
    confirm(never, at(2026, 10, 10))  # after the quarter: it was overdue on its last day

    mid_quarter = values(db, policies, day_end(dt.date(2026, 9, 15)))
    then = values(db, policies, day_end(END))
    db.flush()
    with counting(db.get_bind(), selects_only=True) as statements:
        now = values(db, policies, None)
    assert len(statements) == 1  # aggregates: never a query per record

    assert (mid_quarter["assets.registered"], now["assets.registered"]) == (2, 3)
    assert (mid_quarter["assets.confirmation_overdue"], now["assets.confirmation_overdue"]) == (
        2,
        1,
    )
    assert (mid_quarter["assets.confirmed"], now["assets.confirmed"]) == (0, 1)
    assert then == now
