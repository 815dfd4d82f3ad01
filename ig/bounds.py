"""Bounds on what people and clients may send: text lengths, characters, integers, dates.

Forms (through ig.forms.BoundedForm), query strings (ig.web) and the JSON API check
input against these same numbers and functions, so that a value one accepts the others
accept too, and nothing reaches the database that it would refuse with an error.
"""

from __future__ import annotations

import datetime as dt
import re

# Text lengths, in characters.
NAME = 200  # a person's, team's or organisation's name, a role, a title
EMAIL = 320  # RFC 5321: 64 for the local part, 255 for the domain, and the "@"
PASSWORD = 256
REFERENCE = 40  # a record's reference, a staff number
IDENTIFIER = 200  # an identifier of a person affected (NHS number, client number...)
SEARCH = 200  # a search box
SHORT_TEXT = 2000  # a reason, a note, a list of those told
LONG_TEXT = 20_000  # a narrative, the details of a case, a recommendation
DOCUMENT = 100_000  # the full text of a privacy notice
QUERY_VALUE = 1000  # any one value in a query string

# Integers: what a 64-bit signed database column holds (SQLite refuses anything larger).
INT_MIN = -(2**63)
INT_MAX = 2**63 - 1
PAGE_MAX = 1_000_000  # a page number; no list in ig has this many pages

# Dates: every date ig records (incidents, decisions, completions, reviews) falls in
# this range; anything outside is a typing mistake, and year 1 or 9999 would overflow
# the "day after" and UK-time arithmetic.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)

# NUL (which PostgreSQL refuses in text), the other C0 controls but tab, line feed and
# carriage return (which XML 1.0, and so the spreadsheets and PDFs ig writes, cannot
# hold), DEL, and unpaired UTF-16 surrogates (which cannot be encoded as UTF-8).
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

UNSTORABLE_MESSAGE = (
    "Remove the character that cannot be stored: a null, another control character "
    "or an unpaired surrogate"
)
DATE_MESSAGE = "Enter a date between 1900 and 2100"


def has_unstorable(value: str) -> bool:
    """Whether ``value`` holds a character ig refuses to store (see _UNSTORABLE)."""
    return _UNSTORABLE.search(value) is not None


def text_problem(value: str, max_length: int) -> str | None:
    """Why ``value`` cannot be accepted as text of at most ``max_length`` characters.

    None if it can. The message is written to be shown beside the field.
    """
    if has_unstorable(value):
        return UNSTORABLE_MESSAGE
    if len(value) > max_length:
        return f"Enter {max_length:,} characters or fewer"
    return None


def int_problem(value: int, minimum: int = INT_MIN, maximum: int = INT_MAX) -> str | None:
    """Why ``value`` is outside ``minimum``..``maximum`` (default: a 64-bit integer), or None."""
    if value < minimum or value > maximum:
        return f"Enter a whole number from {minimum:,} to {maximum:,}"
    return None


def date_problem(value: dt.date) -> str | None:
    """Why ``value`` is outside 1900-2100, or None."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if day < FIRST_DATE or day > LAST_DATE:
        return DATE_MESSAGE
    return None


def is_date_in_range(value: dt.date) -> bool:
    """Whether ``value`` falls within 1900-2100."""
    return date_problem(value) is None


def record_number(text: str) -> int:
    """The record number a person typed (up to nine ASCII digits), or 0 if it is not one.

    Only ASCII digits count: str.isdigit() is also true of "²" and other digits that
    int() refuses.
    """
    value = text.strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else 0
