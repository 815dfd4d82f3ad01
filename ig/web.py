"""The web layer's cross-cutting parts: security headers, error pages, navigation, filters."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ig.auth.access import current_actor, enforce_permissions
from ig.db import LONDON
from ig.errors import DomainError

log = logging.getLogger(__name__)

# (label, endpoint, permission): the service navigation shows each person what they may use.
NAVIGATION: list[tuple[str, str, str]] = [
    ("Home", "home.index", "home.view"),
    ("Incidents", "incidents.index", "incidents.read_own"),
    ("Audit trail", "audit.index", "audit.read"),
    ("Encrypted fields", "audit.encrypted_fields", "keys.view"),
    ("Caldicott", "caldicott.index", "caldicott.view"),
    ("Users", "auth.users", "users.manage"),
    ("Privacy notices", "notices.index", "notices.read"),
    ("Notifications", "reminders.notifications", "notifications.read"),
    ("Reminder outbox", "reminders.outbox", "reminders.admin"),
    ("Sharing agreements", "sharing.index", "sharing.read"),
    ("May we share?", "sharing.check", "sharing.check"),
    ("Training", "training.organisation", "training.view_all"),
    ("Staff training", "training.team", "training.view_team"),
    ("My training", "training.mine", "training.view_own"),
    ("Staff", "people.staff", "people.view_all"),
]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# A form's CSRF token lives as long as the signed-in session, so an expired session is
# the usual reason; the advice is the same either way.
CSRF_REFUSED = (
    "The form could not be accepted: it has expired or did not come from this service. "
    "Go back, reload the page and try again"
)
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


def init_web(app: Flask) -> None:
    """Install the request hooks, error pages and template helpers."""
    app.before_request(enforce_permissions)
    app.after_request(security_headers)
    for code in ERROR_TITLES:
        app.register_error_handler(code, error_page)
    app.register_error_handler(DomainError, domain_error_page)
    app.context_processor(lambda: {"navigation": navigation(), "actor": current_actor()})
    app.add_template_filter(london_time, "london")
    app.add_template_filter(uk_date, "uk_date")


def security_headers(response: Response) -> Response:
    """Headers on every response, error pages included."""
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if current_user.is_authenticated or _wants_json():
        # Signed-in pages and API answers hold personal data: keep them out of caches.
        response.headers["Cache-Control"] = "no-store"
    return response


def _wants_json() -> bool:
    return request.blueprint == "api" or request.path.startswith("/api/")


def problem(status: int, title: str, detail: str = "", **extra: Any) -> Response:
    """An RFC 9457 problem-details response."""
    from flask import jsonify

    response = jsonify(
        {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    )
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def error_page(error: Exception) -> tuple[str, int] | Response:
    status = error.code if isinstance(error, HTTPException) and error.code else 500
    if status == 500:
        log.exception("unhandled error on %s", request.path)
    if status == 401 and not _wants_json():
        status = 403
    title = ERROR_TITLES.get(status, ERROR_TITLES[500])
    if _wants_json():
        response = problem(status, title)
        if status == 401:  # RFC 6750: say which scheme the API expects
            response.headers["WWW-Authenticate"] = 'Bearer realm="ig"'
        return response
    message = CSRF_REFUSED if isinstance(error, CSRFError) else ""
    return render_template("errors/error.html", status=status, title=title, message=message), status


def domain_error_page(error: DomainError) -> tuple[str, int] | Response:
    """A refusal no view handled: show its message, which says what is wrong."""
    if _wants_json():
        return problem(error.status, ERROR_TITLES.get(error.status, "Refused"), error.message)
    return render_template(
        "errors/error.html",
        status=error.status,
        title=ERROR_TITLES.get(error.status, "Refused"),
        message=error.message,
    ), error.status


def navigation() -> list[dict[str, Any]]:
    """The navigation items the current person may use, the current one marked."""
    actor = current_actor()
    if not current_user.is_authenticated or getattr(current_user, "needs_two_factor", False):
        return []
    endpoint = request.endpoint or ""
    blueprint = endpoint.split(".")[0]
    return [
        {
            "text": label,
            "href": _url(target),
            "active": target.split(".")[0] == blueprint
            and (target == endpoint or not target.startswith("home.")),
        }
        for label, target, permission in NAVIGATION
        if actor.can(permission)
    ]


def _url(endpoint: str) -> str:
    from flask import url_for

    return url_for(endpoint)


def is_safe_next(target: str | None) -> bool:
    """Whether ``target`` is a path on this site (no scheme, host or protocol-relative URL).

    Backslashes, whitespace and control characters are refused outright: browsers drop
    or rewrite them, so that "/\\evil" or "/<tab>/evil" would lead off the site.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(
        char.isspace() or ord(char) < 32 or ord(char) == 127 for char in target
    ):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def london_time(value: dt.datetime | None, fmt: str = "%-d %B %Y at %H:%M") -> str:
    """Show a UTC instant in UK time."""
    if value is None:
        return ""
    return value.astimezone(LONDON).strftime(fmt)


def uk_date(value: dt.date | None) -> str:
    return "" if value is None else value.strftime("%-d %B %Y")
