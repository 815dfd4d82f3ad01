"""The legal clock of a rights request: its deadline, pauses and extension.

Pure functions of dates and the policy. The rules and their sources:

- Data protection rights (UK GDPR Art. 12(3); ICO guidance on time limits): day one is
  the day of receipt, working day or not; the deadline is the corresponding date in
  the next month, or that month's last day where it has no such date; a deadline on a
  weekend or a bank holiday in England and Wales moves to the next working day.
  Art. 12A: while the controller waits for identity, clarification or a fee the clock
  stops, and the deadline moves by the days paused. Art. 12(3): an extension of up to
  two further months, if the person is told within the first month.
- FOI (FOIA s.10(1), (6)) and EIR (reg. 5(2)): the twentieth working day following the
  day of receipt, working days excluding weekends, Christmas Day, Good Friday and bank
  holidays anywhere in the UK; FOIA s.10(3) public-interest and EIR reg. 7(1)
  extensions add working days, and must be notified within the first 20.
- Complaints (DPA 2018 s.164A(3)): acknowledge within the period of 30 days beginning
  when the complaint is received.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ig.errors import ValidationFailed
from ig.rights.calendar import WorkingCalendar, data_protection_calendar, foi_calendar
from ig.rights.policy import Clock, ProclaimedHoliday, RequestType


@dataclass(frozen=True)
class Pause:
    """The clock stopped on ``start`` and restarted on ``end`` (None: still stopped)."""

    start: dt.date
    end: dt.date | None = None

    def days(self, today: dt.date) -> int:
        """The days paused; a pause still open counts to ``today``."""
        end = self.end if self.end is not None else max(today, self.start)
        return (end - self.start).days


@dataclass(frozen=True)
class Extension:
    """An extension told to the requester on ``told_on``, by months or working days."""

    told_on: dt.date
    months: int = 0
    days: int = 0


@dataclass(frozen=True)
class Deadline:
    """A request's deadline as the clock stands."""

    received_on: dt.date
    first_due_on: dt.date  # the deadline before any extension, pauses counted
    due_on: dt.date  # the deadline now, pauses and extension counted
    paused_days: int
    is_paused: bool
    is_extended: bool

    def days_left(self, today: dt.date) -> int:
        """Calendar days from ``today`` to the deadline; negative once it has passed."""
        return (self.due_on - today).days


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding date ``months`` later, or that month's last day if it has none."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def calendar_for(
    request_type: RequestType, proclaimed: tuple[ProclaimedHoliday, ...]
) -> WorkingCalendar:
    """The working days that a request type's clock counts."""
    if request_type.clock is Clock.WORKING_DAYS:
        return foi_calendar(proclaimed)
    return data_protection_calendar(proclaimed)


def _due(
    request_type: RequestType,
    received_on: dt.date,
    paused_days: int,
    extension: Extension | None,
    working: WorkingCalendar,
) -> dt.date:
    if request_type.clock is Clock.CALENDAR_MONTH:
        months = request_type.months + (extension.months if extension else 0)
        raw = add_months(received_on, months) + dt.timedelta(days=paused_days)
        return working.next_working_day(raw)
    if request_type.clock is Clock.WORKING_DAYS:
        days = request_type.days + (extension.days if extension else 0)
        return working.add_working_days(received_on, days)
    # "The period of 30 days beginning when the complaint is received": day one is receipt.
    return received_on + dt.timedelta(days=request_type.days - 1 + paused_days)


def deadline(
    request_type: RequestType,
    received_on: dt.date,
    today: dt.date,
    pauses: Sequence[Pause] = (),
    extension: Extension | None = None,
    proclaimed: tuple[ProclaimedHoliday, ...] = (),
) -> Deadline:
    """The request's deadline; an open pause counts its days to ``today``."""
    working = calendar_for(request_type, proclaimed)
    paused = sum(pause.days(today) for pause in pauses) if request_type.is_pausable else 0
    first = _due(request_type, received_on, paused, None, working)
    due = _due(request_type, received_on, paused, extension, working) if extension else first
    return Deadline(
        received_on=received_on,
        first_due_on=first,
        due_on=due,
        paused_days=paused,
        is_paused=any(pause.end is None for pause in pauses),
        is_extended=extension is not None,
    )


def check_received(received_on: dt.date, today: dt.date) -> None:
    """ValidationFailed if the day of receipt is in the future."""
    if received_on > today:
        raise ValidationFailed("received_on", "The date received must be today or in the past")
