"""The domain errors that services raise, and how the web layer shows them."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

# The title of the page (or problem) answering each status the service gives.
ERROR_TITLES = {
    400: "Sorry, there is a problem with the request",
    401: "You need to sign in",
    403: "You do not have permission to see this page",
    404: "Page not found",
    405: "Sorry, that cannot be done here",
    409: "Sorry, that cannot be done now",
    413: "The file is too large",
    422: "Sorry, there is a problem with what you entered",
    500: "Sorry, there is a problem with the service",
}


class IgError(Exception):
    """Base of every error ig raises on purpose."""


class ConfigurationError(IgError):
    """A setting or secret is missing or unusable; start-up stops."""


class DomainError(IgError):
    """A service refused an operation; nothing was changed."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(DomainError):
    """One input was wrong; ``field`` names it so a form can show the message beside it."""

    status = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class InvalidTransition(DomainError):
    """The record is not in a state that allows this operation."""

    status = 409


class EditConflict(DomainError):
    """Someone else saved the record since this edit began (optimistic locking)."""

    status = 409

    def __init__(
        self,
        message: str = (
            "Someone else changed this record while you were editing it. "
            "Nothing you entered has been saved: reload the page to see their changes, "
            "then make yours again."
        ),
    ) -> None:
        super().__init__(message)


class Clash(DomainError):
    """A write clashed with an identical one saved at the same moment (a unique key)."""

    status = 409

    def __init__(
        self,
        message: str = (
            "This was not saved because the same record was saved at the same moment, "
            "perhaps by the same form sent twice. Reload the page to see what is stored now."
        ),
    ) -> None:
        super().__init__(message)


class PermissionDenied(DomainError):
    """The actor may not do this to this record."""

    status = 403


class NotFound(DomainError):
    """No such record, or none the actor may see."""

    status = 404


def problem(status: int, title: str, detail: str = "", **extra: Any) -> Response:
    """An RFC 9457 problem-details response."""
    response = jsonify(
        {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    )
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response
