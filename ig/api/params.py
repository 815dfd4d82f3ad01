"""Query parameters read strictly: a value outside what the document says is a 422, never a 500.

Each helper pairs with a schema helper, so the OpenAPI document and the check say the
same thing: whole numbers within bounds, dates within 1900-2100, choices from a list,
text of a known shape.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from flask import request

from ig import bounds
from ig.errors import ValidationFailed

MAX_ID = 2**31 - 1  # ids are 32-bit integer columns on PostgreSQL
MAX_PAGE = bounds.PAGE_MAX
# A calendar date written YYYY-MM-DD in the years 1900 to 2100.
DATE_PATTERN = r"^(19[0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_DATE = re.compile(DATE_PATTERN)
_DIGITS = re.compile(r"^[0-9]{1,12}$")


def param(
    name: str, schema: dict[str, Any], description: str, *, required: bool = False
) -> dict[str, Any]:
    """One query parameter as the OpenAPI document gives it."""
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": schema,
        "description": description,
    }


def integer_schema(minimum: int = 1, maximum: int = MAX_ID) -> dict[str, Any]:
    return {"type": "integer", "minimum": minimum, "maximum": maximum}


def page_schema(item: dict[str, Any]) -> dict[str, Any]:
    """The schema of one page of a list: its ``items`` (each ``item``), and where it is."""
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": item},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "total": {"type": "integer"},
        },
    }


def date_schema() -> dict[str, Any]:
    return {"type": "string", "format": "date", "pattern": DATE_PATTERN}


def choice_schema(choices: Iterable[str]) -> dict[str, Any]:
    return {"type": "string", "enum": sorted(choices)}


def integer(
    name: str, default: int | None = None, *, minimum: int = 1, maximum: int = MAX_ID
) -> Any:
    """The whole number in ``name`` (``default`` when absent) within the bounds, or a 422."""
    value = request.args.get(name)
    if value is None:
        return default
    if not _DIGITS.match(value) or not minimum <= int(value) <= maximum:
        raise ValidationFailed(name, f"{name} must be a whole number from {minimum} to {maximum}")
    return int(value)


def path_id(text: str) -> int | None:
    """The record id in a URL path (``/things/{id}``), or None if it cannot be one: the
    record is then simply not found."""
    number = int(text) if re.fullmatch(r"[0-9]{1,10}", text) else 0
    return number if 1 <= number <= MAX_ID else None


def page_number() -> int:
    return int(integer("page", 1, maximum=MAX_PAGE))


def date(name: str, default: dt.date | None = None) -> Any:
    """The date in ``name`` (YYYY-MM-DD, 1900 to 2100), ``default`` when absent, or a 422."""
    value = request.args.get(name)
    if value is None:
        return default
    return parse_date(name, value)


def parse_date(name: str, value: str) -> dt.date:
    message = f"{name} must be a date like 2026-04-01, from 1900 to 2100"
    if not _DATE.match(value):
        raise ValidationFailed(name, message)
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(name, message) from None
    if not bounds.is_date_in_range(day):
        raise ValidationFailed(name, message)
    return day


def choice(name: str, choices: Iterable[str]) -> str | None:
    """One of ``choices`` in ``name`` (None when absent; empty is refused), or a 422."""
    value = request.args.get(name)
    allowed = sorted(choices)
    if value is not None and value not in allowed:
        raise ValidationFailed(name, f"{name} must be one of: {', '.join(allowed)}")
    return value


def text(name: str, pattern: str, *, required: bool = False) -> str | None:
    """Text in ``name`` that matches ``pattern`` (a full match), or a 422.

    Absent is None (or a 422 when ``required``); present, even empty, it must match.
    """
    value = request.args.get(name)
    if value is None:
        if required:
            raise ValidationFailed(name, f"Give the {name} as a query parameter")
        return None
    if not re.fullmatch(pattern.strip("^$"), value):
        raise ValidationFailed(name, f"{name} is not in the form this API accepts")
    return value
