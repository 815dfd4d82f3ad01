"""The JSON API under /api/v1: bearer tokens, problem details, an OpenAPI document from the code.

Bearer tokens are checked with every route's permission in ig.auth.access, before any
view runs; a browser's session cookie never opens the API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import MethodNotAllowed

from ig.api.body import limit_body
from ig.api.document import Operation, Parameters, build_document
from ig.api.idempotency import idempotent
from ig.api.problems import refuse
from ig.auth.access import current_actor, public, requires

api = Blueprint("api", __name__, url_prefix="/api/v1")
F = TypeVar("F", bound=Callable[..., Any])
OPERATIONS: list[Operation] = []
# The operation each view serves, by endpoint name, to check requests against it.
BY_ENDPOINT: dict[str, Operation] = {}


def endpoint(
    path: str,
    method: str,
    summary: str,
    permission: str,
    *,
    parameters: Parameters | None = None,
    request_body: dict[str, Any] | None = None,
    response: dict[str, Any] | None = None,
    status: int = 200,
    not_found: bool = False,
    other_media: tuple[tuple[str, dict[str, Any]], ...] = (),
) -> Callable[[F], F]:
    """Register an API view with its permission and its OpenAPI description in one place.

    ``status`` is the success status; ``not_found`` says a query can name something
    that does not exist (a 404); ``other_media`` lists other forms of the success
    answer (a CSV). A POST takes an Idempotency-Key.
    """

    def register(view: F) -> F:
        operation = Operation(
            path,
            method.lower(),
            summary,
            permission,
            parameters or [],
            request_body,
            response or {"type": "object"},
            status,
            not_found,
            other_media,
        )
        OPERATIONS.append(operation)
        BY_ENDPOINT[f"{api.name}.{view.__name__}"] = operation
        flask_path = path.replace("{", "<").replace("}", ">")
        handler = idempotent(view) if method.upper() == "POST" else view
        api.add_url_rule(flask_path, view.__name__, requires(permission)(handler), methods=[method])
        return view

    return register


@api.before_request
def check_request() -> None:
    """Refuse a body over the limit (413) and query parameters the document does not list (422)."""
    limit_body()
    operation = BY_ENDPOINT.get(request.endpoint or "")
    if operation is None:
        return
    known = {p["name"] for p in operation.resolved_parameters() if p["in"] == "query"}
    unknown = sorted(set(request.args) - known)
    if unknown:
        refuse(
            422,
            "Unknown query parameters",
            f"This endpoint takes {', '.join(sorted(known)) or 'no query parameters'}; "
            f"it does not know {', '.join(repr(name) for name in unknown[:5])}",
        )


@api.after_app_request
def allow_header(response: Response) -> Response:
    """A 405 under the API says which methods the path takes (RFC 9110)."""
    refused = request.routing_exception
    if (
        response.status_code == 405
        and request.path.startswith("/api/")
        and isinstance(refused, MethodNotAllowed)
        and refused.valid_methods
    ):
        response.headers["Allow"] = ", ".join(sorted(refused.valid_methods))
    return response


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


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document of every registered endpoint (needs an app context)."""
    return build_document(OPERATIONS)
