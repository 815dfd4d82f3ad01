"""Working days for the legal clocks: UK bank holidays from the holidays library.

The bank holidays of each part of the UK come from the maintained ``holidays`` library
(never a list kept in code), with the one-off holidays that policies/rights.toml adds
for a proclamation the installed library does not know yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import holidays
from dateutil.easter import easter

from ig.rights.policy import REGIONS, ProclaimedHoliday

ENGLAND_AND_WALES = ("ENG", "WLS")
SATURDAY = 5


@cache
def _library_holidays(region: str, year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv=region, years=year))


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days, for one set of UK regions.

    ``christian_festivals`` adds Christmas Day and Good Friday, which FOIA s.10(6)
    names beside the bank holidays (they are common-law holidays in England and Wales).
    """

    regions: tuple[str, ...]
    proclaimed: tuple[ProclaimedHoliday, ...] = ()
    christian_festivals: bool = False
    _extra: frozenset[dt.date] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        unknown = set(self.regions) - set(REGIONS)
        if unknown:
            raise ValueError(f"unknown UK regions: {sorted(unknown)}")
        extra = {h.date for h in self.proclaimed if set(h.regions) & set(self.regions)}
        object.__setattr__(self, "_extra", frozenset(extra))

    def is_holiday(self, day: dt.date) -> bool:
        """Whether ``day`` is a bank holiday (or, if counted, Christmas Day or Good Friday)."""
        if day in self._extra:
            return True
        if self.christian_festivals and _is_christmas_or_good_friday(day):
            return True
        return any(day in _library_holidays(region, day.year) for region in self.regions)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < SATURDAY and not self.is_holiday(day)

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day following ``day`` (``day`` itself not counted)."""
        while count > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def holidays_between(self, start: dt.date, end: dt.date) -> Iterable[dt.date]:
        """The weekday holidays from ``start`` to ``end`` inclusive, for the timeline."""
        day = start
        while day <= end:
            if day.weekday() < SATURDAY and self.is_holiday(day):
                yield day
            day += dt.timedelta(days=1)


def _is_christmas_or_good_friday(day: dt.date) -> bool:
    if (day.month, day.day) == (12, 25):
        return True
    return day == easter(day.year) - dt.timedelta(days=2)


def data_protection_calendar(proclaimed: tuple[ProclaimedHoliday, ...] = ()) -> WorkingCalendar:
    """ICO guidance: a deadline on a weekend or bank holiday in England and Wales moves on."""
    return WorkingCalendar(ENGLAND_AND_WALES, proclaimed)


def foi_calendar(proclaimed: tuple[ProclaimedHoliday, ...] = ()) -> WorkingCalendar:
    """FOIA s.10(6): not a weekend, Christmas Day, Good Friday or a bank holiday anywhere
    in the United Kingdom (EIR reg. 2(1) takes the same meaning)."""
    return WorkingCalendar(REGIONS, proclaimed, christian_festivals=True)
