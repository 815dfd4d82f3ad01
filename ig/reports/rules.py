"""The report's rules: financial-year quarters, valid periods, and how figures are shown."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ig.bounds import date_problem
from ig.errors import ValidationFailed

QUARTER_KEY = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True)
class Quarter:
    """A quarter of the financial year: ``year`` is the year it starts in (2026 for
    2026-27), ``number`` 1 to 4."""

    year: int
    number: int
    start: dt.date
    end: dt.date

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.year}-{(self.year + 1) % 100:02d}"

    @property
    def long_label(self) -> str:
        return f"{self.label} ({self.start:%-d %B %Y} to {self.end:%-d %B %Y})"


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def quarter(year: int, number: int, starts_month: int) -> Quarter:
    """Quarter ``number`` of the financial year starting in ``starts_month`` of ``year``."""
    y, m = _add_months(year, starts_month, 3 * (number - 1))
    ny, nm = _add_months(y, m, 3)
    return Quarter(year, number, dt.date(y, m, 1), dt.date(ny, nm, 1) - dt.timedelta(days=1))


def quarter_containing(day: dt.date, starts_month: int) -> Quarter:
    """The financial-year quarter ``day`` falls in."""
    months = (day.month - starts_month) % 12
    year = day.year if day.month >= starts_month else day.year - 1
    return quarter(year, months // 3 + 1, starts_month)


def previous(q: Quarter, starts_month: int) -> Quarter:
    """The quarter before ``q``."""
    return quarter_containing(q.start - dt.timedelta(days=1), starts_month)


def quarters_ending(q: Quarter, count: int, starts_month: int) -> list[Quarter]:
    """``count`` quarters ending with ``q``, oldest first."""
    found = [q]
    while len(found) < count:
        found.append(previous(found[-1], starts_month))
    return found[::-1]


def parse_quarter(key: str, starts_month: int) -> Quarter:
    """The quarter keyed ``2026-Q1``; ValidationFailed for anything else."""
    match = QUARTER_KEY.match(key or "")
    if not match:
        raise ValidationFailed("quarter", "Choose a quarter from the list")
    return quarter(int(match.group(1)), int(match.group(2)), starts_month)


def check_period(start: dt.date | None, end: dt.date | None, today: dt.date) -> None:
    """A period has both dates, in order, within ig's date range and not after today.

    Raises ValidationFailed naming the date at fault.
    """
    if start is None:
        raise ValidationFailed("start", "Enter the date the report starts")
    if end is None:
        raise ValidationFailed("end", "Enter the date the report ends")
    for field, day in (("start", start), ("end", end)):
        problem = date_problem(day)
        if problem:
            raise ValidationFailed(field, problem)
    if end < start:
        raise ValidationFailed("end", "The end date must be the same as or after the start date")
    if end > today:
        raise ValidationFailed("end", "The end date must be today or in the past")


def show_value(value: float | None, unit: str) -> str:
    """A figure as the report prints it."""
    if value is None:
        return "none"  # nothing to count (no requests, so no average)
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "count" or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.1f}"


def suppressed(value: float | None, counts_people: bool, threshold: int) -> bool:
    """Whether the scrutiny-panel version withholds this figure: a count of people above
    none and below the threshold could identify someone."""
    return counts_people and value is not None and 0 < value < threshold


def show_public(value: float | None, unit: str, counts_people: bool, threshold: int) -> str:
    """A figure as the scrutiny-panel version prints it: small counts withheld."""
    if suppressed(value, counts_people, threshold):
        return f"fewer than {threshold}"
    return show_value(value, unit)
