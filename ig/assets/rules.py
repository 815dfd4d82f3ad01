"""Pure rules for information assets: the confirmation cycle and the closed lists."""

from __future__ import annotations

import calendar
import datetime as dt
import enum

# An approximate count of records: a whole number up to a billion (more than any
# council holds), so a typing slip is refused rather than stored.
MAX_RECORDS = 1_000_000_000


class Criticality(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class AssetFormat(enum.StrEnum):
    ELECTRONIC = "electronic"
    PAPER = "paper"
    BOTH = "both"


class Hosting(enum.StrEnum):
    ON_PREMISES = "on_premises"
    SUPPLIER_CLOUD = "supplier_cloud"
    OTHER = "other"


class ConfirmationState(enum.StrEnum):
    CONFIRMED = "confirmed"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


CRITICALITY_LABELS = {
    Criticality.LOW: "Low",
    Criticality.MEDIUM: "Medium",
    Criticality.HIGH: "High",
    Criticality.CRITICAL: "Critical",
}
FORMAT_LABELS = {
    AssetFormat.ELECTRONIC: "Electronic",
    AssetFormat.PAPER: "Paper",
    AssetFormat.BOTH: "Electronic and paper",
}
HOSTING_LABELS = {
    Hosting.ON_PREMISES: "On premises",
    Hosting.SUPPLIER_CLOUD: "Supplier's cloud",
    Hosting.OTHER: "Other",
}
STATE_LABELS = {
    ConfirmationState.CONFIRMED: "Confirmed",
    ConfirmationState.DUE_SOON: "Due soon",
    ConfirmationState.OVERDUE: "Overdue",
}


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_confirmation_on(confirmed_on: dt.date, every_months: int) -> dt.date:
    """When the owner must next confirm the asset: one cycle after the last confirmation."""
    return add_months(confirmed_on, every_months)


def confirmation_state(due: dt.date, today: dt.date, due_soon_days: int) -> ConfirmationState:
    """Overdue once the due date has passed; due soon on it or within the window."""
    if due < today:
        return ConfirmationState.OVERDUE
    if due <= today + dt.timedelta(days=due_soon_days):
        return ConfirmationState.DUE_SOON
    return ConfirmationState.CONFIRMED
