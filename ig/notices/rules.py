"""Pure rules for privacy notices: review dates and review states."""

from __future__ import annotations

import calendar
import datetime as dt
import enum


class ReviewState(enum.StrEnum):
    UP_TO_DATE = "up_to_date"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


REVIEW_STATE_LABELS = {
    ReviewState.UP_TO_DATE: "Up to date",
    ReviewState.DUE_SOON: "Due soon",
    ReviewState.OVERDUE: "Overdue",
}


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review_on(reviewed_or_effective_on: dt.date, interval_months: int) -> dt.date:
    """When the notice must next be reviewed: one interval after its last review."""
    return add_months(reviewed_or_effective_on, interval_months)


def flagged_review_on(current: dt.date, flagged_on: dt.date, flagged_review_days: int) -> dt.date:
    """A flagged notice's review comes forward to within ``flagged_review_days``, never later."""
    return min(current, flagged_on + dt.timedelta(days=flagged_review_days))


def review_state(
    next_review: dt.date, today: dt.date, due_soon_days: int, is_flagged: bool = False
) -> ReviewState:
    """Overdue once the review date has passed; due soon within the window or when flagged."""
    if next_review < today:
        return ReviewState.OVERDUE
    if is_flagged or next_review <= today + dt.timedelta(days=due_soon_days):
        return ReviewState.DUE_SOON
    return ReviewState.UP_TO_DATE
