"""The web layer's cross-cutting parts: security headers, error pages, navigation, filters."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, before_render_template, g, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from ig.auth.access import current_actor, enforce_permissions
from ig.db import LONDON, utcnow
from ig.errors import ERROR_TITLES, Clash, DomainError, EditConflict, problem
from ig.navigation import Navigation, build_navigation
from ig.policy_files import read_policy_file
from ig.request_bounds import check_request_bounds

log = logging.getLogger(__name__)

# What an error handler returns: a page and its status (and headers), or a problem.
ErrorAnswer = tuple[str, int] | tuple[str, int, dict[str, str]] | Response

# The Government Security Classifications (2023) marking a printed record carries at the
# top and bottom of every page; case records hold personal data, hence the default.
MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE")
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
PRINTING_POLICY = "printing.toml"

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


def init_web(app: Flask) -> None:
    """Install the request hooks, error pages and template helpers."""
    app.before_request(enforce_permissions)
    app.before_request(check_request_bounds)
    app.after_request(security_headers)
    before_render_template.connect(roll_back_request, app)
    for code in ERROR_TITLES:
        app.register_error_handler(code, error_page)
    app.register_error_handler(DomainError, domain_error_page)
    app.register_error_handler(StaleDataError, stale_edit_page)
    app.register_error_handler(IntegrityError, clash_page)
    settings = app.extensions["ig.settings"]
    marking = load_marking(settings.policies_dir)
    app.context_processor(
        lambda: {
            "navigation": page_navigation(),
            "actor": current_actor(),
            "marking": marking,
            "rendered_at": utcnow(),
        }
    )
    app.add_template_filter(london_time, "london")
    app.add_template_filter(uk_date, "uk_date")
    app.add_template_filter(uk_month, "uk_month")


def page_navigation() -> Navigation:
    """The request's navigation, built once: every template a page renders asks for it
    (each GOV.UK form widget is a template of its own). Built again only if who is
    signed in changes during the request (signing in or out)."""
    signed_in = (current_actor(), getattr(current_user, "needs_two_factor", False))
    kept = g.get("ig_navigation")
    if kept is None or kept[0] != signed_in:
        kept = g.ig_navigation = (signed_in, build_navigation())
    return kept[1]


def load_marking(directory: Path) -> str:
    """The protective marking from policies/printing.toml (the default if it has none).

    Raises PolicyError naming the file and key for an unknown marking, so a mistyped
    one stops start-up rather than printing a wrong label on records.
    """
    if not (directory / PRINTING_POLICY).is_file():
        return DEFAULT_MARKING
    root = read_policy_file(directory, PRINTING_POLICY)
    root.reject_unknown(["version", "protective_marking"])
    root.str("version")
    return root.choice("protective_marking", MARKINGS, DEFAULT_MARKING)


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


def roll_back_request(*_args: Any, **_context: Any) -> None:
    """Roll back the request's session if a failed flush has left it unusable.

    Called before an error page is built and before any page is rendered: a view may
    catch the error of a failed write and show its form again, and every page queries
    (navigation, the signed-in person), which would otherwise fail as a 500 with
    PendingRollbackError. Nothing is lost: the failed transaction could only be
    rolled back. A usable session is left alone (the request's teardown discards
    anything uncommitted).
    """
    session = g.get("db_session")
    if session is not None and not session.is_active:
        session.rollback()


def error_page(error: Exception) -> ErrorAnswer:
    roll_back_request()
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
    # RFC 9110 15.5.6: a 405 names the methods the resource allows.
    headers = (
        {"Allow": ", ".join(sorted(error.valid_methods or []))}
        if isinstance(error, MethodNotAllowed)
        else {}
    )
    page = render_template("errors/error.html", status=status, title=title, message=message)
    return page, status, headers


def domain_error_page(error: DomainError) -> tuple[str, int] | Response:
    """A refusal no view handled: show its message, which says what is wrong."""
    roll_back_request()
    if _wants_json():
        return problem(error.status, ERROR_TITLES.get(error.status, "Refused"), error.message)
    return render_template(
        "errors/error.html",
        status=error.status,
        title=ERROR_TITLES.get(error.status, "Refused"),
        message=error.message,
    ), error.status


def stale_edit_page(error: StaleDataError) -> tuple[str, int] | Response:
    """An UPDATE that matched no row: someone saved the record first (optimistic lock)."""
    return domain_error_page(EditConflict())


def clash_page(error: IntegrityError) -> ErrorAnswer:
    """A uniqueness or other constraint refused a write no service foresaw, usually
    because an identical request was saved at the same moment: say so, not 500."""
    if not is_unique_violation(error):
        return error_page(InternalServerError(original_exception=error))
    log.warning("unique key refused a write on %s", request.path)
    return domain_error_page(Clash())


def is_unique_violation(error: IntegrityError) -> bool:
    """Whether ``error`` is a unique-key violation (SQLSTATE 23505, or SQLite's wording)."""
    if getattr(error.orig, "sqlstate", None) == "23505":
        return True
    return str(error.orig).startswith("UNIQUE constraint failed")


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


def clock_time(value: dt.time) -> str:
    """A time of day in GOV.UK style: "9am", "2:05pm", "midday", "midnight"."""
    if (value.hour, value.minute) == (0, 0):
        return "midnight"
    if (value.hour, value.minute) == (12, 0):
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def london_time(value: dt.datetime | None) -> str:
    """A UTC instant as people read it, in UK time: "6 December 2026 at 2:05pm".

    A naive value is refused: it would be shown as if it were UK time.
    """
    if value is None:
        return ""
    if value.tzinfo is None:
        raise ValueError("london_time needs a timezone-aware instant")
    local = value.astimezone(LONDON)
    return f"{uk_date(local.date())} at {clock_time(local.time())}"


def uk_date(value: dt.date | str | None) -> str:
    """A date as people read it: "6 December 2026" (ISO dates are for CSV and the API).

    Also takes an ISO date as text (a reminder's due key, "2026-12-06..."); text that
    is not one is shown as it is rather than failing the page.
    """
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
        return uk_date(day)
    return "" if value is None else f"{value.day} {value.strftime('%B')} {value.year}"


def uk_month(label: str) -> str:
    """A "2026-12" month label as "December 2026"; any other label unchanged."""
    try:
        month = dt.date.fromisoformat(f"{label}-01") if len(label) == 7 else None
    except ValueError:
        month = None
    return label if month is None else f"{month.strftime('%B')} {month.year}"
