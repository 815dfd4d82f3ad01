"""JSON request bodies read safely: bounded size and depth, no NUL or lone surrogates.

A body is refused before it is parsed when it is too large (413) or nested too deeply
(400), so no input can exhaust memory or the parser's recursion; each answer names the
limit it broke.
"""

from __future__ import annotations

import json
import re
from typing import Any, NoReturn

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from ig import bounds
from ig.api.problems import refuse

MAX_BODY_BYTES = 1024 * 1024
MAX_DEPTH = 32
# Inside strings, an escape is consumed whole, so a quoted bracket or \" never counts.
_TOKENS = re.compile(rb'\\.|"|[\[\]{}]', re.DOTALL)


def limit_body() -> None:
    """Refuse a declared body over the limit, and cap what a streamed one may send."""
    request.max_content_length = MAX_BODY_BYTES
    if (request.content_length or 0) > MAX_BODY_BYTES:
        too_large()


def too_large() -> NoReturn:
    refuse(
        413,
        "The request body is too large",
        f"The API accepts request bodies of up to {MAX_BODY_BYTES} bytes",
        limit=MAX_BODY_BYTES,
    )


def raw_body() -> bytes:
    """The body's bytes; a streamed body that runs past the limit is the same 413."""
    try:
        return request.get_data(cache=True)
    except RequestEntityTooLarge:
        too_large()


def depth_of(raw: bytes) -> int:
    """How deeply arrays and objects nest in the JSON text ``raw`` (brackets in strings ignored)."""
    depth = deepest = 0
    in_string = False
    for match in _TOKENS.finditer(raw):
        token = match.group()
        if token == b'"':
            in_string = not in_string
        elif in_string or token.startswith(b"\\"):
            continue
        elif token in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def read_json() -> Any:
    """The request's JSON value, or a problem answer: 415, 413, 400 (too deep) or 422."""
    if not request.is_json:
        refuse(
            415, "Send JSON", "The request body must be JSON, with Content-Type: application/json"
        )
    raw = raw_body()
    if len(raw) > MAX_BODY_BYTES:
        too_large()
    if depth_of(raw) > MAX_DEPTH:
        refuse(
            400,
            "The JSON is nested too deeply",
            f"Arrays and objects may nest at most {MAX_DEPTH} levels deep",
            limit=MAX_DEPTH,
        )
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        refuse(422, "The request body is not valid JSON", "Send a JSON object in UTF-8")
    bad = _bad_text(value)
    if bad is not None:
        refuse(422, "Invalid text", f"{bad}: {bounds.UNSTORABLE_MESSAGE}", field=bad)
    return value


def _bad_text(value: Any, where: str = "body") -> str | None:
    """Where ``value`` holds a string with NUL or a lone surrogate (keys included), else None.

    Control characters but tab, line feed and carriage return, NUL and lone surrogates
    cannot be stored (ig.bounds), so they are refused wherever they are.
    ."""
    if isinstance(value, str):
        return where if bounds.has_unstorable(value) else None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        place = f"{where}.{key}" if isinstance(key, str) else f"{where}[{key}]"
        if isinstance(key, str) and bounds.has_unstorable(key):
            return where
        found = _bad_text(item, place)
        if found is not None:
            return found
    return None
