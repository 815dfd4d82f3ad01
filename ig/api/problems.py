"""Problem details (RFC 9457) for the API: the schema the document gives, and how to answer one."""

from __future__ import annotations

from typing import Any, NoReturn

from flask import abort

from ig.errors import problem

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {"type": "object"},
            "description": "what is wrong with each refused item, where there are several",
        },
    },
}

# What each status means for any endpoint of this API, as the document says it.
STATUS_TEXT = {
    400: "The request cannot be read: JSON nested too deeply, or an unreadable query value",
    401: "No valid bearer token",
    403: "The token's owner lacks the permission this endpoint needs",
    404: "No such resource, or one the caller may not see",
    405: "Method not allowed here; the Allow header lists those that are",
    409: "A request with the same Idempotency-Key is still being processed",
    413: "The request body is larger than the API accepts",
    415: "The request body must be JSON (Content-Type: application/json)",
    422: "The request's values are refused (malformed JSON included); detail says why",
}


def response(status: int) -> dict[str, Any]:
    """The OpenAPI response object for a problem answer with ``status``."""
    entry: dict[str, Any] = {
        "description": STATUS_TEXT[status],
        "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
    }
    if status == 405:
        entry["headers"] = {
            "Allow": {"required": True, "schema": {"type": "string"}},
        }
    return entry


def refuse(status: int, title: str, detail: str, **extra: Any) -> NoReturn:
    """Stop the request with a problem answer (used before or inside a view)."""
    abort(problem(status, title, detail, **extra))
