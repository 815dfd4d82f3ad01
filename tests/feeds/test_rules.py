"""The feeds' rules: parameters read strictly, values written as ISO 8601 and safe CSV."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from ig.feeds import rules
from ig.incidents.models import Status


def test_an_instant_with_an_offset_is_read_as_utc():
    read = rules.parse_instant("2026-07-01T10:30:00.25+01:00")
    assert read == dt.datetime(2026, 7, 1, 9, 30, 0, 250000, tzinfo=dt.UTC)
    assert rules.parse_instant("2026-07-01T09:30:00z") == dt.datetime(
        2026, 7, 1, 9, 30, tzinfo=dt.UTC
    )
    assert rules.parse_instant(None) is None


@pytest.mark.parametrize(
    "text", ["2026-07-01", "2026-07-01 09:30:00Z", "2026-07-01T24:00:00Z", "1899-12-31T00:00:00Z"]
)
def test_an_instant_that_is_not_one_is_refused(text):
    with pytest.raises(rules.BadParameter) as refused:
        rules.parse_instant(text)
    assert refused.value.name == "changed_since"


def test_paging_parameters_have_defaults_and_bounds():
    assert (rules.parse_page_size(None), rules.parse_after(None)) == (1000, 0)
    assert (rules.parse_page_size("5000"), rules.parse_after("41")) == (5000, 41)
    for bad in ("5001", "0", "-1", "1e3", " 5"):
        with pytest.raises(rules.BadParameter):
            rules.parse_page_size(bad)
    with pytest.raises(rules.BadParameter):
        rules.parse_after(str(2**31))


def test_values_are_written_as_iso_8601_and_plain_json():
    instant = dt.datetime(2026, 7, 1, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert rules.json_value(instant) == "2026-07-01T09:30:00Z"
    assert rules.json_value(dt.date(2026, 7, 1)) == "2026-07-01"
    assert rules.json_value(Status.CLOSED) == "closed"
    assert rules.json_value(decimal.Decimal("95.5")) == 95.5


def test_csv_cells_are_plain_and_never_a_formula():
    assert rules.csv_value(True, "boolean") == "true"
    assert rules.csv_value(None, "string") == ""
    assert rules.csv_value("=HYPERLINK(1)", "string") == "'=HYPERLINK(1)"
    assert rules.csv_value(-3, "integer") == "-3"  # a number is never quoted
