"""The engine's pure rules: stages, digest times, backoff and how stages read."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ig.reminders.policy import Rule
from ig.reminders.rules import describe_stage, retry_delay, send_after, stages

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
DATE_RULE = Rule(
    "r",
    "s",
    "x",
    "each",
    ("owner",),
    before_days=(30, 7),
    overdue_every_days=7,
    escalate_after_days=14,
    escalate_to=("role:ig_officer",),
)
HOUR_RULE = Rule("h", "s", "x", "each", ("role:ig_officer",), after_hours=(24, 48, 60))


def test_date_rule_stages_are_disjoint_windows():
    by_name = {stage.name: stage for stage in stages(DATE_RULE, NOW)}
    assert (by_name["before-30"].due_from, by_name["before-30"].due_to) == (
        TODAY + dt.timedelta(days=8),
        TODAY + dt.timedelta(days=30),
    )
    assert (by_name["before-7"].due_from, by_name["before-7"].due_to) == (
        TODAY,
        TODAY + dt.timedelta(days=7),
    )
    assert by_name["overdue"].due_to == TODAY - dt.timedelta(days=1)
    assert by_name["escalated"].due_to == TODAY - dt.timedelta(days=15)
    assert by_name["escalated"].recipients == ("role:ig_officer",)


def test_overdue_period_changes_every_repeat_interval_only():
    periods = {stages(DATE_RULE, NOW + dt.timedelta(days=d))[2].period for d in range(21)}
    assert len(periods) == 3


def test_once_only_overdue_keeps_one_period():
    rule = Rule("r", "s", "x", "each", ("owner",), overdue_every_days=0)
    assert {stages(rule, NOW + dt.timedelta(days=d))[0].period for d in range(30)} == {
        "overdue-once"
    }


def test_hour_rule_stages():
    by_name = {stage.name: stage for stage in stages(HOUR_RULE, NOW)}
    assert by_name["after-24h"].due_to == NOW - dt.timedelta(hours=24)
    assert by_name["after-24h"].due_from > NOW - dt.timedelta(hours=48)
    assert by_name["after-60h"].due_from is None


@given(st.integers(min_value=0, max_value=24 * 90))
def test_an_instant_is_in_at_most_one_hour_stage(hours_ago):
    due = NOW - dt.timedelta(hours=hours_ago)
    matching = [
        s
        for s in stages(HOUR_RULE, NOW)
        if (s.due_from is None or s.due_from <= due) and due <= s.due_to
    ]
    assert len(matching) == (0 if hours_ago < 24 else 1)


@given(st.integers(min_value=-400, max_value=400))
def test_a_date_is_in_at_most_one_reminder_stage(days):
    due = TODAY + dt.timedelta(days=days)
    owner = [
        s
        for s in stages(DATE_RULE, NOW)
        if s.recipients == ("owner",)
        and (s.due_from is None or s.due_from <= due)
        and due <= s.due_to
    ]
    assert len(owner) == (1 if days <= 30 else 0)


@pytest.mark.parametrize(
    ("delivery", "now", "expected"),
    [
        ("each", NOW, NOW),
        (
            "daily_digest",
            dt.datetime(2026, 11, 22, 6, 0, tzinfo=dt.UTC),
            dt.datetime(2026, 11, 22, 7, 0, tzinfo=dt.UTC),
        ),
        ("daily_digest", NOW, dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)),
        # Summer time: 07:00 in London is 06:00 UTC.
        (
            "daily_digest",
            dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC),
            dt.datetime(2026, 7, 2, 6, 0, tzinfo=dt.UTC),
        ),
        # Sunday 22 November: the weekly digest goes on Monday 23rd.
        ("weekly_digest", NOW, dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)),
        (
            "weekly_digest",
            dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC),
            dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC),
        ),
        # Across the clock change on Sunday 29 March 2026.
        (
            "weekly_digest",
            dt.datetime(2026, 3, 25, 12, 0, tzinfo=dt.UTC),
            dt.datetime(2026, 3, 30, 6, 0, tzinfo=dt.UTC),
        ),
    ],
)
def test_send_after(delivery, now, expected):
    assert send_after(delivery, now, 7) == expected


def test_retry_delay_doubles_up_to_the_maximum():
    delays = [retry_delay(n, 5, 60).total_seconds() // 60 for n in range(1, 7)]
    assert delays == [5, 10, 20, 40, 60, 60]


@pytest.mark.parametrize(
    ("stage", "text"),
    [
        ("before-30", "due within 30 days"),
        ("before-0", "due today"),
        ("overdue", "overdue"),
        ("escalated", "overdue and escalated"),
        ("after-48h", "48 hours have passed"),
    ],
)
def test_describe_stage(stage, text):
    assert describe_stage(stage) == text
