"""The JSON API under /api/v1: bearer tokens, problem details, an OpenAPI document from the code.

Bearer tokens are checked with every route's permission in ig.auth.access, before any
view runs; a browser's session cookie never opens the API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Blueprint, jsonify

from ig.auth.access import current_actor, public, requires

api = Blueprint("api", __name__, url_prefix="/api/v1")
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says about one endpoint."""

    path: str
    method: str
    summary: str
    permission: str | None
    parameters: list[dict[str, Any]] = field(default_factory=list)
    request_body: dict[str, Any] | None = None
    response: dict[str, Any] = field(default_factory=lambda: {"type": "object"})


OPERATIONS: list[Operation] = []


def endpoint(
    path: str,
    method: str,
    summary: str,
    permission: str,
    *,
    parameters: list[dict[str, Any]] | None = None,
    request_body: dict[str, Any] | None = None,
    response: dict[str, Any] | None = None,
) -> Callable[[F], F]:
    """Register an API view with its permission and its OpenAPI description in one place."""

    def register(view: F) -> F:
        OPERATIONS.append(
            Operation(
                path,
                method.lower(),
                summary,
                permission,
                parameters or [],
                request_body,
                response or {"type": "object"},
            )
        )
        flask_path = path.replace("{", "<").replace("}", ">")
        api.add_url_rule(flask_path, view.__name__, requires(permission)(view), methods=[method])
        return view

    return register


@endpoint(
    "/me",
    "GET",
    "The caller's identity, roles and permissions",
    "api.me",
    response={
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "email": {"type": "string"},
            "roles": {"type": "array", "items": {"type": "string"}},
            "permissions": {"type": "array", "items": {"type": "string"}},
        },
    },
)
def me() -> Any:
    actor = current_actor()
    return jsonify(
        {
            "id": actor.user_id,
            "email": actor.label,
            "roles": sorted(actor.roles),
            "permissions": sorted(actor.permissions),
        }
    )


@api.get("/openapi.json")
@public
def openapi() -> Any:
    """The OpenAPI 3.1 document, generated from the registered endpoints."""
    return jsonify(openapi_document())


PROBLEM = {
    "description": "Problem details (RFC 9457)",
    "content": {"application/problem+json": {"schema": {"type": "object"}}},
}


def openapi_document() -> dict[str, Any]:
    """Build the OpenAPI document from OPERATIONS."""
    paths: dict[str, dict[str, Any]] = {}
    for op in sorted(OPERATIONS, key=lambda o: (o.path, o.method)):
        entry: dict[str, Any] = {
            "summary": op.summary,
            "description": f"Needs the permission `{op.permission}`.",
            "parameters": op.parameters,
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": op.response}},
                },
                "401": PROBLEM,
                "403": PROBLEM,
            },
        }
        if op.request_body is not None:
            entry["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": op.request_body}},
            }
            entry["responses"]["422"] = PROBLEM
        paths.setdefault(op.path, {})[op.method] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "ig API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": paths,
    }
