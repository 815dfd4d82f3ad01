"""The feeds' rules: reading their query parameters strictly, and writing their values.

Pure functions of plain values. A bad parameter raises BadParameter with a message
saying what is wrong and how to put it right, which the API answers with a 400.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import re
from dataclasses import dataclass

PAGE_SIZE_DEFAULT = 1000
PAGE_SIZE_MAX = 5000
MAX_ID = 2**31 - 1
# An RFC 3339 instant with its offset, in the years 1900 to 2100: 2026-04-01T09:30:00Z,
# 2026-04-01T10:30:00.5+01:00. Without an offset the instant would be a guess.
INSTANT_PATTERN = (
    r"^(19[0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?(Z|z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)
_INSTANT = re.compile(INSTANT_PATTERN)
_DIGITS = re.compile(r"^[0-9]{1,10}$")
# A cell a spreadsheet would run as a formula starts with one of these (OWASP advice).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class BadParameter(ValueError):
    """A query parameter the feeds cannot use; ``message`` says how to put it right."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name
        self.message = message


@dataclass(frozen=True)
class PageRequest:
    """What one pull asks for: rows with ids above ``after``, at most ``size`` of them,
    changed after ``changed_since`` if given."""

    after: int = 0
    size: int = PAGE_SIZE_DEFAULT
    changed_since: dt.datetime | None = None


def parse_page_size(text: str | None) -> int:
    if text is None:
        return PAGE_SIZE_DEFAULT
    if not _DIGITS.match(text) or not 1 <= int(text) <= PAGE_SIZE_MAX:
        raise BadParameter(
            "page_size",
            f"page_size must be a whole number from 1 to {PAGE_SIZE_MAX} "
            f"(default {PAGE_SIZE_DEFAULT}); it was {text[:40]!r}",
        )
    return int(text)


def parse_after(text: str | None) -> int:
    if text is None:
        return 0
    if not _DIGITS.match(text) or int(text) > MAX_ID:
        raise BadParameter(
            "after",
            f"after must be the whole-number id of the last row of the previous page "
            f"(0 to {MAX_ID}); follow @odata.nextLink rather than writing it",
        )
    return int(text)


def parse_instant(text: str | None) -> dt.datetime | None:
    """An RFC 3339 instant with its offset, as UTC; None when absent."""
    if text is None:
        return None
    message = (
        "changed_since must be an ISO 8601 date and time with its offset, "
        "like 2026-04-01T09:30:00Z or 2026-04-01T10:30:00+01:00, from 1900 to 2100"
    )
    if not _INSTANT.match(text):
        raise BadParameter("changed_since", message)
    try:
        instant = dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:  # a day the month does not have: 2026-02-30
        raise BadParameter("changed_since", message) from None
    return instant.astimezone(dt.UTC)


def parse_format(text: str | None) -> str:
    if text is None or text == "json":
        return "json"
    if text == "csv":
        return "csv"
    raise BadParameter("format", f"format must be json or csv; it was {text[:40]!r}")


def json_value(value: object) -> object:
    """A column's value as JSON: dates and instants in ISO 8601 (instants in UTC, with
    Z), enumerations as their value, decimals as numbers."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def csv_value(value: object, column_type: str) -> str:
    """A column's value as a CSV cell: as in JSON, booleans true or false, nothing for
    null, and text that a spreadsheet would run as a formula made safe with a quote."""
    value = json_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if column_type == "string" and text.startswith(_FORMULA_START):
        return "'" + text
    return text
