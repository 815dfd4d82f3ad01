"""Pure rules of training compliance: validity, statuses and the dates imports accept."""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from dataclasses import dataclass

from ig.training.policy import Course


class Status(enum.StrEnum):
    """A person's standing on one required course on one date."""

    COMPLIANT = "compliant"
    EXPIRING_SOON = "expiring_soon"
    NOT_YET_DUE = "not_yet_due"
    OVERDUE = "overdue"
    EXEMPT = "exempt"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.COMPLIANT: "Compliant",
    Status.EXPIRING_SOON: "Expiring soon",
    Status.NOT_YET_DUE: "Not yet due",
    Status.OVERDUE: "Overdue",
    Status.EXEMPT: "Exempt",
}
# How bad each status is, to show a person's worst status across courses.
SEVERITY = {
    Status.EXEMPT: 0,
    Status.COMPLIANT: 1,
    Status.NOT_YET_DUE: 2,
    Status.EXPIRING_SOON: 3,
    Status.OVERDUE: 4,
}


class Basis(enum.StrEnum):
    """Which completions a figure for a past date counts.

    AS_RECORDED: those ig held at the end of that day, so the figure reported then can
    be reproduced exactly. AS_NOW_KNOWN: also those recorded since but dated on or
    before it, as when a learning system's export arrives late.
    """

    AS_RECORDED = "as_recorded"
    AS_NOW_KNOWN = "as_now_known"

    @property
    def label(self) -> str:
        return "as recorded then" if self is Basis.AS_RECORDED else "as now known"


def counts_on(
    basis: Basis,
    on_date: dt.date,
    end_of_day: dt.datetime,
    completed_on: dt.date,
    recorded_at: dt.datetime,
) -> bool:
    """Whether a completion counts towards a figure for ``on_date`` read on ``basis``.

    ``end_of_day`` is the instant ``on_date`` ends in UK time; the SQL in compliance.py
    agrees (a test holds them together).
    """
    if completed_on > on_date:
        return False
    return basis is Basis.AS_NOW_KNOWN or recorded_at < end_of_day


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months, clipped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Window:
    """A course's cut-off dates for one as-of date, so SQL compares plain dates.

    A completion is current if it is later than ``current_after``; it is expiring soon
    if it is current but not later than ``safe_after``. A new starter is not yet due if
    they started later than ``starter_after`` (they are still within their allowance).
    """

    code: str
    current_after: dt.date
    safe_after: dt.date
    starter_after: dt.date


def window(course: Course, on_date: dt.date) -> Window:
    """The cut-off dates of ``course`` on ``on_date``."""
    return Window(
        code=course.code,
        current_after=add_months(on_date, -course.valid_months),
        safe_after=add_months(
            on_date + dt.timedelta(days=course.expiring_soon_days), -course.valid_months
        ),
        starter_after=on_date - dt.timedelta(days=course.new_starter_days + 1),
    )


def status_on(
    win: Window,
    on_date: dt.date,
    last_completed_on: dt.date | None,
    due_on: dt.date,
    *,
    is_exempt: bool = False,
) -> Status:
    """The status of one required course on ``on_date``; the SQL in compliance.py agrees.

    ``due_on`` is the last day to do the course (a new starter's start date plus their
    allowance, or an assignment's due date); until it has passed, nothing is overdue.
    """
    if is_exempt:
        return Status.EXEMPT
    if last_completed_on is not None and last_completed_on > win.current_after:
        if last_completed_on > win.safe_after:
            return Status.COMPLIANT
        return Status.EXPIRING_SOON
    if on_date <= due_on:
        return Status.NOT_YET_DUE
    return Status.OVERDUE


def expires_on(course: Course, completed_on: dt.date) -> dt.date:
    """The first day on which a completion is no longer current under ``window``."""
    day = add_months(completed_on, course.valid_months)
    # Month ends clip (31 January + 1 month is 28 February): step on to the first day
    # the window rule itself treats as expired, so page and figures agree.
    while add_months(day, -course.valid_months) < completed_on:
        day += dt.timedelta(days=1)
    return day


def starter_due_on(course: Course, started_on: dt.date) -> dt.date:
    """The last day a new starter has to complete ``course``."""
    return started_on + dt.timedelta(days=course.new_starter_days)


def due_on(course: Course, started_on: dt.date, last_completed_on: dt.date | None) -> dt.date:
    """The last day a person has to (re)take a course the policy requires of them.

    Never done: a new starter's allowance. Done: the day before the completion expires,
    unless the starter's allowance runs later. A person is overdue after this day; the
    SQL in compliance.py agrees.
    """
    starter = starter_due_on(course, started_on)
    if last_completed_on is None:
        return starter
    return max(expires_on(course, last_completed_on) - dt.timedelta(days=1), starter)


def needs_action(course: Course, on_date: dt.date, status: Status, due: dt.date | None) -> bool:
    """Whether a manager must act on a pair: overdue, or due within the course's warning
    window (``expiring_soon_days`` in policies/training.toml)."""
    if status is Status.OVERDUE:
        return True
    if status not in (Status.EXPIRING_SOON, Status.NOT_YET_DUE) or due is None:
        return False
    return due <= on_date + dt.timedelta(days=course.expiring_soon_days)


def days_overdue(on_date: dt.date, due: dt.date | None) -> int:
    """Whole days past ``due`` on ``on_date`` (0 when not yet past it, or nothing is due)."""
    return max((on_date - due).days, 0) if due is not None else 0


def days_left(on_date: dt.date, due: dt.date | None) -> int:
    """Whole days from ``on_date`` to ``due``, ``due`` itself being the last (0 if past)."""
    return max((due - on_date).days, 0) if due is not None else 0


def percent(compliant: int, denominator: int) -> float:
    """Compliance as a percentage to one decimal place; 100 when nobody is counted."""
    if denominator <= 0:
        return 100.0
    return round(100.0 * compliant / denominator, 1)


class DateError(ValueError):
    """A date in an imported file that cannot be read without guessing."""


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_UK_NAMED = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3,9})[ -](\d{4})$")
_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9


def parse_date(text: str) -> dt.date:
    """Read an ISO (2025-03-31) or UK day-first (31/03/2025, 31 Mar 2025) date.

    Month-first dates are never guessed at: 03/31/2025 is refused, and 04/03/2025 is
    4 March. Two-digit years are refused too. Raises DateError saying what is wrong.
    """
    value = text.strip()
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)  # the common case, read in C
        except ValueError:
            pass  # judged below, for the message
    if match := _ISO.match(value):
        year, month, day = (int(part) for part in match.groups())
    elif match := _UK.match(value):
        day, month, year = (int(part) for part in match.groups())
    elif match := _UK_NAMED.match(value):
        month_number = _MONTHS.get(match.group(2).lower())
        if month_number is None:
            raise DateError(f"{value!r} has no month ig recognises")
        day, month, year = int(match.group(1)), month_number, int(match.group(3))
    else:
        raise DateError(
            f"{value!r} is not a date in the form 2025-03-31 or 31/03/2025"
            if value
            else "the date is missing"
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateError(f"{value!r} is not a real date (dates are read day first)") from None
