"""The OpenAPI 3.1 document, built from the registered operations.

Every status an operation can answer is listed with its schema: the success answer,
and problem details for 401 and 403 everywhere, 404 where a path names a resource or
a query names one to look up, 422 where parameters or a body can be refused, and
400, 409, 413 and 415 where a JSON body is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ig.api import problems
from ig.api.body import MAX_BODY_BYTES, MAX_DEPTH
from ig.api.idempotency import PARAMETER as IDEMPOTENCY_KEY

Parameters = list[dict[str, Any]] | Callable[[], list[dict[str, Any]]]


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says about one endpoint."""

    path: str
    method: str
    summary: str
    permission: str | None
    parameters: Parameters = field(default_factory=list)
    request_body: dict[str, Any] | None = None
    response: dict[str, Any] = field(default_factory=lambda: {"type": "object"})
    status: int = 200
    not_found: bool = False
    # Other forms of the success answer, by media type: ("text/csv", {"type": "string"}).
    other_media: tuple[tuple[str, dict[str, Any]], ...] = ()

    def resolved_parameters(self) -> list[dict[str, Any]]:
        """The parameters, those whose schema comes from the policies read now."""
        return self.parameters() if callable(self.parameters) else list(self.parameters)

    def problem_statuses(self) -> list[int]:
        parameters = self.resolved_parameters()
        statuses = {401, 403, 422}  # 422: any query parameter the operation does not list
        if self.not_found or any(p["in"] == "path" for p in parameters):
            statuses.add(404)
        if parameters:
            statuses.add(400)  # a query value that cannot be read at all
        if self.request_body is not None:
            statuses |= {400, 409, 413, 415}
        return sorted(statuses)


def _success(op: Operation) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "description": "Created" if op.status == 201 else "OK",
        "content": {"application/json": {"schema": op.response}}
        | {media: {"schema": schema} for media, schema in op.other_media},
    }
    if op.status == 201:
        entry["headers"] = {
            "Location": {"required": True, "schema": {"type": "string"}},
        }
    return entry


def _operation(op: Operation) -> dict[str, Any]:
    parameters = op.resolved_parameters()
    entry: dict[str, Any] = {
        "summary": op.summary,
        "description": f"Needs the permission `{op.permission}`.",
        "parameters": parameters,
        "responses": {str(op.status): _success(op)}
        | {str(status): problems.response(status) for status in op.problem_statuses()},
    }
    if op.request_body is not None:
        entry["parameters"] = [*parameters, IDEMPOTENCY_KEY]
        entry["requestBody"] = {
            "required": True,
            "description": f"JSON of at most {MAX_BODY_BYTES} bytes, nested at most "
            f"{MAX_DEPTH} levels deep",
            "content": {"application/json": {"schema": op.request_body}},
        }
    return entry


def build_document(operations: Iterable[Operation]) -> dict[str, Any]:
    """Build the OpenAPI document from the registered operations."""
    paths: dict[str, dict[str, Any]] = {}
    for op in sorted(operations, key=lambda o: (o.path, o.method)):
        paths.setdefault(op.path, {})[op.method] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {"title": "ig API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Problem": problems.PROBLEM_SCHEMA},
            # Any path answers a method it does not list with this, and says which it takes.
            "responses": {"MethodNotAllowed": problems.response(405)},
        },
        "security": [{"bearer": []}],
        "paths": paths,
    }
