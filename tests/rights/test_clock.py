"""The legal clocks against the issue's named cases and an independent computation."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from ig.errors import ValidationFailed
from ig.rights.calendar import data_protection_calendar, foi_calendar
from ig.rights.clock import Extension, Pause, check_received, deadline
from ig.rights.policy import ProclaimedHoliday, RightsPolicy, load_rights
from ig.rights.rules import check_extension, check_pause, check_restart
from ig.settings import PROJECT_ROOT

POLICY: RightsPolicy = load_rights(PROJECT_ROOT / "policies")
SAR = POLICY.type("subject_access")
FOI = POLICY.type("foi")
EIR = POLICY.type("eir")
COMPLAINT = POLICY.type("complaint")
TODAY = dt.date(2030, 1, 1)
FIRST, LAST = dt.date(2025, 1, 1), dt.date(2028, 12, 31)
EVERY_DAY = [FIRST + dt.timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
YEARS = range(2025, 2031)

# The independent computation: its own holiday sets, built from the library's UK calendar
# by another route, Good Friday and Christmas Day written out as known facts, and
# dateutil's month arithmetic in place of ig's.
ENGLAND_WALES = set(holidays.UK(subdiv="ENG", years=YEARS)) | set(
    holidays.UK(subdiv="WLS", years=YEARS)
)
ANY_PART = ENGLAND_WALES.union(
    *(set(holidays.UK(subdiv=part, years=YEARS)) for part in ("SCT", "NIR"))
)
GOOD_FRIDAYS = {dt.date(2025, 4, 18), dt.date(2026, 4, 3), dt.date(2027, 3, 26)}
GOOD_FRIDAYS |= {dt.date(2028, 4, 14), dt.date(2029, 3, 30), dt.date(2030, 4, 19)}
CHRISTMAS = {dt.date(year, 12, 25) for year in YEARS}


def expected_month_deadline(received: dt.date, months: int = 1, paused: int = 0) -> dt.date:
    day = received + relativedelta(months=months) + dt.timedelta(days=paused)
    while day.weekday() >= 5 or day in ENGLAND_WALES:
        day += dt.timedelta(days=1)
    return day


def expected_working_deadline(received: dt.date, count: int) -> dt.date:
    excluded = ANY_PART | GOOD_FRIDAYS | CHRISTMAS
    day = received
    while count:
        day += dt.timedelta(days=1)
        count -= day.weekday() < 5 and day not in excluded
    return day


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (dt.date(2028, 1, 31), dt.date(2028, 2, 29)),  # leap year: the month's last day
        (dt.date(2027, 1, 31), dt.date(2027, 3, 1)),  # 28 February 2027 is a Sunday
        (dt.date(2028, 9, 3), dt.date(2028, 10, 3)),  # the corresponding date
        (dt.date(2026, 11, 25), dt.date(2026, 12, 29)),  # Christmas, Boxing Day's substitute
        (dt.date(2026, 10, 30), dt.date(2026, 11, 30)),  # St Andrew's Day is not in E&W
    ],
)
def test_subject_access_named_cases(received: dt.date, due: dt.date) -> None:
    assert deadline(SAR, received, TODAY).due_on == due


def test_foi_before_easter_2027_counts_good_friday_and_easter_monday_out() -> None:
    received = dt.date(2027, 3, 25)  # the Thursday before Good Friday
    working = foi_calendar()
    assert not working.is_working_day(dt.date(2027, 3, 26))
    assert not working.is_working_day(dt.date(2027, 3, 29))
    assert deadline(FOI, received, TODAY).due_on == dt.date(2027, 4, 26)
    assert deadline(EIR, received, TODAY).due_on == dt.date(2027, 4, 26)


def test_st_andrews_day_counts_out_for_foi_and_not_for_subject_access() -> None:
    st_andrews = dt.date(2026, 11, 30)
    assert not foi_calendar().is_working_day(st_andrews)
    assert data_protection_calendar().is_working_day(st_andrews)
    # FOI from Friday 27 November 2026: 30 Nov, 25 and 28 Dec counted out.
    assert deadline(FOI, dt.date(2026, 11, 27), TODAY).due_on == dt.date(2026, 12, 30)


def test_a_ten_day_identity_pause_moves_the_deadline_ten_days() -> None:
    received = dt.date(2028, 9, 3)
    pause = Pause(dt.date(2028, 9, 10), dt.date(2028, 9, 20))
    clock = deadline(SAR, received, TODAY, [pause])
    assert clock.paused_days == 10
    assert clock.due_on == dt.date(2028, 10, 13)
    assert clock.due_on - deadline(SAR, received, TODAY).due_on == dt.timedelta(days=10)


def test_an_open_pause_counts_to_today_and_shows_as_paused() -> None:
    clock = deadline(SAR, dt.date(2028, 9, 3), dt.date(2028, 9, 14), [Pause(dt.date(2028, 9, 10))])
    assert clock.is_paused
    assert clock.paused_days == 4
    assert clock.due_on == dt.date(2028, 10, 9)  # 7 October is a Saturday


def test_an_extension_recorded_after_the_first_month_is_refused() -> None:
    received = dt.date(2028, 9, 3)
    clock = deadline(SAR, received, TODAY)
    late = Extension(dt.date(2028, 10, 4), months=2)
    with pytest.raises(ValidationFailed, match="within the first month") as refused:
        check_extension(SAR, clock, late, TODAY)
    assert refused.value.field == "told_on"
    on_time = Extension(dt.date(2028, 10, 3), months=2)
    check_extension(SAR, clock, on_time, TODAY)
    # 3 December 2028 is a Sunday.
    assert deadline(SAR, received, TODAY, extension=on_time).due_on == dt.date(2028, 12, 4)


def test_an_extension_is_bounded_and_given_once() -> None:
    clock = deadline(SAR, dt.date(2028, 9, 3), TODAY)
    with pytest.raises(ValidationFailed, match="between 1 and 2 months"):
        check_extension(SAR, clock, Extension(dt.date(2028, 9, 5), months=3), TODAY)
    extended = deadline(
        SAR, dt.date(2028, 9, 3), TODAY, extension=Extension(dt.date(2028, 9, 5), 1)
    )
    with pytest.raises(ValidationFailed, match="already been extended"):
        check_extension(SAR, extended, Extension(dt.date(2028, 9, 6), months=1), TODAY)
    with pytest.raises(ValidationFailed, match="cannot be extended"):
        check_extension(
            COMPLAINT,
            deadline(COMPLAINT, dt.date(2028, 9, 3), TODAY),
            Extension(dt.date(2028, 9, 5), days=5),
            TODAY,
        )


def test_foi_public_interest_extension_adds_working_days() -> None:
    received = dt.date(2026, 6, 1)
    extension = Extension(dt.date(2026, 6, 10), days=20)
    check_extension(FOI, deadline(FOI, received, TODAY), extension, TODAY)
    assert deadline(FOI, received, TODAY, extension=extension).due_on == expected_working_deadline(
        received, 40
    )
    with pytest.raises(ValidationFailed, match="between 1 and 20 working days"):
        check_extension(
            FOI, deadline(FOI, received, TODAY), Extension(dt.date(2026, 6, 10), days=21), TODAY
        )


def test_complaint_acknowledgement_is_due_within_30_days_beginning_on_receipt() -> None:
    assert deadline(COMPLAINT, dt.date(2026, 7, 1), TODAY).due_on == dt.date(2026, 7, 30)


def test_a_receipt_date_in_the_future_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="today or in the past"):
        check_received(dt.date(2026, 12, 8), dt.date(2026, 12, 7))
    check_received(dt.date(2026, 12, 7), dt.date(2026, 12, 7))


def test_a_pause_ending_before_it_starts_is_refused() -> None:
    clock = deadline(SAR, dt.date(2026, 11, 2), dt.date(2026, 11, 20))
    pause = Pause(dt.date(2026, 11, 10), dt.date(2026, 11, 9))
    with pytest.raises(ValidationFailed, match="cannot end before it starts") as refused:
        check_pause(SAR, clock, [], pause, dt.date(2026, 11, 20))
    assert refused.value.field == "end"
    with pytest.raises(ValidationFailed, match="cannot end before it starts"):
        check_restart(Pause(dt.date(2026, 11, 10)), dt.date(2026, 11, 9), dt.date(2026, 11, 20))


@pytest.mark.parametrize(
    ("pauses", "pause", "message"),
    [
        ([], Pause(dt.date(2026, 11, 1)), "before the request was received"),
        ([], Pause(dt.date(2026, 11, 21)), "today or in the past"),
        ([Pause(dt.date(2026, 11, 3))], Pause(dt.date(2026, 11, 10)), "already paused"),
        (
            [Pause(dt.date(2026, 11, 3), dt.date(2026, 11, 9))],
            Pause(dt.date(2026, 11, 8)),
            "last pause ended",
        ),
        ([], Pause(dt.date(2026, 11, 5), dt.date(2026, 11, 21)), "today or in the past"),
    ],
)
def test_pauses_that_the_record_forbids_are_refused(
    pauses: list[Pause], pause: Pause, message: str
) -> None:
    today = dt.date(2026, 11, 20)
    clock = deadline(SAR, dt.date(2026, 11, 2), today, pauses)
    with pytest.raises(ValidationFailed, match=message):
        check_pause(SAR, clock, pauses, pause, today)


def test_a_pause_after_the_deadline_and_a_paused_foi_are_refused() -> None:
    today = dt.date(2027, 1, 30)
    clock = deadline(SAR, dt.date(2026, 11, 2), today)
    with pytest.raises(ValidationFailed, match="after the deadline"):
        check_pause(SAR, clock, [], Pause(dt.date(2026, 12, 3)), today)
    with pytest.raises(ValidationFailed, match="cannot be paused"):
        check_pause(
            FOI, deadline(FOI, dt.date(2026, 11, 2), today), [], Pause(dt.date(2026, 11, 5)), today
        )


def test_every_day_of_receipt_2025_to_2028_matches_the_independent_computation() -> None:
    for received in EVERY_DAY:
        assert deadline(SAR, received, TODAY).due_on == expected_month_deadline(received), received
        assert deadline(FOI, received, TODAY).due_on == expected_working_deadline(received, 20), (
            received
        )
        assert deadline(EIR, received, TODAY).due_on == expected_working_deadline(received, 20), (
            received
        )
        assert deadline(COMPLAINT, received, TODAY).due_on == received + dt.timedelta(days=29)


@settings(max_examples=300, deadline=None)
@given(
    received=st.sampled_from(EVERY_DAY),
    gaps=st.lists(st.tuples(st.integers(0, 6), st.integers(0, 12)), max_size=3),
    extension=st.integers(0, 2),
)
def test_pauses_and_extensions_match_the_independent_computation(
    received: dt.date, gaps: list[tuple[int, int]], extension: int
) -> None:
    pauses, start = [], received
    for gap, length in gaps:
        start += dt.timedelta(days=gap)
        pauses.append(Pause(start, start + dt.timedelta(days=length)))
        start += dt.timedelta(days=length)
    told = Extension(received, months=extension) if extension else None
    clock = deadline(SAR, received, TODAY, pauses, told)
    paused = sum(length for _, length in gaps)
    assert clock.paused_days == paused
    assert clock.first_due_on == expected_month_deadline(received, 1, paused)
    assert clock.due_on == expected_month_deadline(received, 1 + extension, paused)
    assert clock.due_on.weekday() < 5


@settings(max_examples=200, deadline=None)
@given(received=st.sampled_from(EVERY_DAY), extra=st.integers(0, 20))
def test_working_day_deadlines_land_on_a_working_day_after_twenty(
    received: dt.date, extra: int
) -> None:
    told = Extension(received, days=extra) if extra else None
    due = deadline(FOI, received, TODAY, extension=told).due_on
    assert due == expected_working_deadline(received, 20 + extra)
    working = foi_calendar()
    counted = sum(
        working.is_working_day(received + dt.timedelta(days=n))
        for n in range(1, (due - received).days + 1)
    )
    assert counted == 20 + extra


def test_a_proclaimed_holiday_from_policy_counts_out() -> None:
    one_off = ProclaimedHoliday(dt.date(2027, 3, 1), "A proclaimed holiday", ("ENG",))
    received = dt.date(2027, 1, 31)  # due Monday 1 March 2027 without it
    assert deadline(SAR, received, TODAY, proclaimed=(one_off,)).due_on == dt.date(2027, 3, 2)
    scottish = ProclaimedHoliday(dt.date(2027, 3, 1), "A Scottish holiday", ("SCT",))
    assert deadline(SAR, received, TODAY, proclaimed=(scottish,)).due_on == dt.date(2027, 3, 1)
    assert not foi_calendar((scottish,)).is_working_day(dt.date(2027, 3, 1))
