"""The shared input bounds: characters, lengths, integers and dates."""

from __future__ import annotations

import datetime as dt

import pytest

from ig import bounds


@pytest.mark.parametrize("value", ["a\x00b", "\ud800", "x\udfff", "\x1b[31m", "\x7f"])
def test_unstorable_characters_are_refused(value: str) -> None:
    assert bounds.text_problem(value, 100) == bounds.UNSTORABLE_MESSAGE


@pytest.mark.parametrize("value", ["", "line\r\nnext\ttab", "שלום e\u0301 😀", "\u202eRTL"])
def test_ordinary_text_is_accepted(value: str) -> None:
    assert bounds.text_problem(value, 100) is None


def test_length_is_counted_in_characters() -> None:
    assert bounds.text_problem("é" * 10, 10) is None
    assert bounds.text_problem("é" * 11, 10) == "Enter 10 characters or fewer"


@pytest.mark.parametrize(
    ("value", "accepted"),
    [(2**63 - 1, True), (2**63, False), (-(2**63), True), (-(2**63) - 1, False)],
)
def test_integers_fit_a_64_bit_column(value: int, accepted: bool) -> None:
    assert (bounds.int_problem(value) is None) is accepted


@pytest.mark.parametrize(
    ("day", "accepted"),
    [
        (dt.date(1, 1, 1), False),
        (dt.date(1899, 12, 31), False),
        (dt.date(1900, 1, 1), True),
        (dt.date(2100, 12, 31), True),
        (dt.date(2101, 1, 1), False),
        (dt.datetime(9999, 1, 1, tzinfo=dt.UTC), False),
    ],
)
def test_dates_fall_within_1900_to_2100(day: dt.date, accepted: bool) -> None:
    assert bounds.is_date_in_range(day) is accepted
