"""Bounds on the address of every page request: its query string and path numbers.

Checked once, before any view runs, so that no list, filter or search can be sent a
value that would fail in the database (a number beyond 64 bits, a NUL) as a server
error. The JSON API checks its own parameters (ig/api) with the same ig.bounds.
"""

from __future__ import annotations

import re

from flask import abort, request

from ig import bounds
from ig.errors import DomainError

_WHOLE_NUMBER = re.compile(r"[+-]?\d+")
UNREADABLE = "The web address could not be read: it is not valid UTF-8 text"


def check_request_bounds() -> None:
    """Refuse a page request whose address holds an out-of-bounds value.

    Raises DomainError (a 400 page saying what is wrong) for a query string that is
    not UTF-8, or holds an unstorable character, an over-long value or a number out of
    range; aborts with 404 for a record number in the path beyond 64 bits, or a
    reference holding an unstorable character (no such record can exist). API
    requests are left to ig/api.
    """
    if request.blueprint == "api" or request.path.startswith("/api/"):
        return
    for value in (request.view_args or {}).values():
        if isinstance(value, int) and bounds.int_problem(value):
            abort(404)
        if isinstance(value, str) and bounds.text_problem(value, bounds.QUERY_VALUE):
            abort(404)  # no record's reference holds a NUL or runs to pages
    try:
        items = list(request.args.items(multi=True))
    except UnicodeDecodeError:
        raise DomainError(UNREADABLE) from None
    for name, value in items:
        problem = query_problem(name, value)
        if problem:
            raise DomainError(problem)


def query_problem(name: str, value: str) -> str | None:
    """Why the query parameter ``name=value`` cannot be accepted, or None."""
    problem = bounds.text_problem(name, bounds.QUERY_VALUE) or bounds.text_problem(
        value, bounds.QUERY_VALUE
    )
    if problem:
        return f"The web address cannot be used. {problem}."
    if not _WHOLE_NUMBER.fullmatch(value.strip()):
        return None
    number = int(value)
    is_page = name == "page" or name.endswith("_page")
    problem = (
        bounds.int_problem(number, 0, bounds.PAGE_MAX) if is_page else bounds.int_problem(number)
    )
    if problem:
        return f"The web address holds a number out of range for {name!r}. {problem}."
    return None
