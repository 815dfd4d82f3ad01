"""The trend's past quarters, fixed once over, are computed once and kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from ig.feature import Figure, ReportPeriod, Section
from ig.policies import Policies
from ig.reports.trend import as_recorded, trend

# Generated on 10 July 2025 for Q1 2025-26: the seven quarters before it are over.
NOW = dt.datetime(2025, 7, 10, 9, tzinfo=dt.UTC)
Q1 = as_recorded(dt.date(2025, 4, 1), dt.date(2025, 6, 30))
ASKED: list[dt.date] = []  # the last day of each period day_section computed


def day_section(_session: object, _policies: Policies, period: ReportPeriod) -> Section:
    """A report section whose headline figure is its period's last day."""
    ASKED.append(period.end)
    figure = Figure("test.day", "Day", period.end.day, "The period's last day.")
    return Section("test", "Test", (figure,), headline=("test.day",))


@pytest.fixture(autouse=True)
def _asked() -> Iterator[None]:
    ASKED.clear()
    yield
    ASKED.clear()


def _trend(db, policies: Policies, period: ReportPeriod) -> dict:
    latest = [day_section(db, policies, period)]
    return trend(db, policies, [day_section], period, latest, NOW)


def test_past_quarters_are_computed_once_and_kept_for_every_later_report(db, policies):
    first = _trend(db, policies, Q1)
    assert len(ASKED) == 1 + 7  # the report's own quarter, then the seven before it
    assert first["series"]["test.day"] == [30, 31, 31, 30, 30, 31, 31, 30]
    again = _trend(db, policies, Q1)
    assert again == first
    assert len(ASKED) == 8 + 1  # only the report's own quarter again


def test_a_period_not_yet_recorded_to_its_end_is_computed_every_time(db, policies):
    tonight = as_recorded(dt.date(2025, 4, 1), dt.date(2025, 7, 10))  # recorded by tonight
    done = as_recorded(dt.date(2025, 4, 1), dt.date(2025, 7, 9))  # recorded by last night
    for period in (tonight, tonight, done, done):
        trend(db, policies, [day_section], period, [], NOW)
    # Each call asks for its quarter cut short at the period's end (no "latest" given).
    assert ASKED.count(dt.date(2025, 7, 10)) == 2
    assert ASKED.count(dt.date(2025, 7, 9)) == 1


def test_a_changed_policy_file_computes_the_past_afresh(db, policies):
    _trend(db, policies, Q1)
    files = {**policies.reports.policy_files, "reports.toml": "changed"}
    changed = policies.with_parts(reports=dataclasses.replace(policies.reports, policy_files=files))
    _trend(db, changed, Q1)
    assert len(ASKED) == 8 + 8
