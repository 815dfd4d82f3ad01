"""bounds.record_number: the record number a person typed, ASCII digits only."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ig import bounds


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), (" 7 ", 7), ("123456789", 123456789), ("1234567890", 0), ("²", 0),
     ("\uff11\uff12", 0), ("-3", 0), ("", 0), ("12a", 0)],
)  # fmt: skip
def test_a_record_number_is_up_to_nine_ascii_digits(text, expected):
    assert bounds.record_number(text) == expected


@given(st.text(max_size=12))
def test_any_text_gives_a_number_or_zero_and_never_raises(text):
    number = bounds.record_number(text)
    assert 0 <= number < 10**9
    typed = text.strip()
    if number:
        assert typed.isascii()
        assert int(typed) == number
