"""Deny-by-default access control for every route: each names its permission or is public."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, abort, current_app, g, redirect, request, url_for
from flask_login import LoginManager, current_user

from ig.auth import service, tokens
from ig.auth.models import ApiToken, UserSession
from ig.auth.rules import ANONYMOUS, Actor
from ig.db import get_session, utcnow
from ig.errors import ERROR_TITLES, problem

F = TypeVar("F", bound=Callable[..., Any])
# "Bearer" in any case, then a token68 (RFC 9110 §11.2), with spaces or tabs around.
BEARER = re.compile(r"[ \t]*[Bb][Ee][Aa][Rr][Ee][Rr][ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*")
MAX_AUTHORIZATION = 1000
PERMISSION_ATTR = "ig_permission"
PUBLIC = "public"
# Signed in with a password but not yet through two-factor: may only finish sign-in.
PARTIAL = "partial"
# The methods a read-only API token may use.
READS = ("GET", "HEAD")


def requires(permission: str) -> Callable[[F], F]:
    """Mark a view as needing ``permission``; checked before the view runs."""
    from ig.auth.permissions import PERMISSIONS

    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}: add it to ig/auth/permissions.py")

    def mark(view: F) -> F:
        setattr(view, PERMISSION_ATTR, permission)
        return view

    return mark


def public(view: F) -> F:
    """Mark a view as open to everyone (sign-in, health check)."""
    setattr(view, PERMISSION_ATTR, PUBLIC)
    return view


def partial_sign_in(view: F) -> F:
    """Mark a view reachable between password and second factor (the 2FA steps)."""
    setattr(view, PERMISSION_ATTR, PARTIAL)
    return view


def permission_of(app: Flask, endpoint: str | None) -> str | None:
    """The permission the view behind ``endpoint`` names, or None if it names none."""
    if endpoint is None:
        return None
    if endpoint == "static" or endpoint.endswith(".static"):
        return PUBLIC
    view = app.view_functions.get(endpoint)
    return getattr(view, PERMISSION_ATTR, None)


def current_actor() -> Actor:
    """The signed-in person as services see them, or ANONYMOUS."""
    actor = g.get("ig_actor")
    if actor is not None:
        return actor
    if current_user.is_authenticated:
        return current_user.actor  # type: ignore[no-any-return]
    return ANONYMOUS


def enforce_permissions() -> Any:
    """before_request: refuse any route that names no permission, or one the user lacks."""
    if request.endpoint is None:
        return None  # 404 and 405 are answered by their handlers
    needed = permission_of(current_app, request.endpoint)
    if needed is None:
        # Deny by default: a route someone forgot to mark is closed, not open.
        abort(403)
    if needed == PUBLIC:
        return None
    if request.blueprint == "api":
        # The API takes bearer tokens only: a browser's cookie must not work there,
        # because the API is exempt from CSRF checks.
        actor = bearer_actor()
        if actor is None:
            abort(401)
        if g.get("ig_token_scope") == tokens.READ_ONLY and request.method not in READS:
            abort(
                problem(
                    403,
                    "Read-only token",
                    "This token is read-only: it may only GET and HEAD. Changing anything needs "
                    "a read-write token",
                )
            )
        return None if actor.can(needed) else abort(403)
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if needed == PARTIAL:
        return None
    if current_user.needs_two_factor:
        return redirect(url_for("auth.two_factor"))
    if not current_user.actor.can(needed):
        abort(403)
    return None


def bearer_token(header: str) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None.

    The scheme is matched in any case (RFC 9110 §11.1); spaces or tabs may surround the
    value and separate scheme and token. Anything else, a second token, non-ASCII or an
    over-long value, is not a bearer token.
    """
    if len(header) > MAX_AUTHORIZATION:
        return None
    match = BEARER.fullmatch(header)
    return match.group(1) if match else None


def bearer_actor() -> Actor | None:
    """The owner of the request's live bearer token, as the request's actor.

    None without a usable token; a token that has expired or been revoked stops the
    request with a 401 problem saying so.
    """
    raw = bearer_token(request.headers.get("Authorization", ""))
    if raw is None:
        return None
    session = get_session()
    check = tokens.check_token(session, raw, utcnow())
    if check.token is not None and check.refusal in ("expired", "revoked"):
        abort(_token_refused(check.token))
    if check.user is None:
        return None
    session.commit()  # when the token was last used
    g.ig_token_scope = check.token.scope if check.token is not None else None
    g.ig_actor = service.actor_for(check.user, current_app.extensions["ig.policies"])
    return g.ig_actor  # type: ignore[no-any-return]


def _token_refused(token: ApiToken) -> Response:
    """A 401 problem saying why ``token`` no longer works (RFC 6750 §3.1: invalid_token).

    The detail holds no quotes or backslashes: it is a quoted string in the header too.
    """
    if token.revoked_at is not None:
        detail = f"The token has been revoked ({token.revoked_reason or 'no reason given'})"
    else:
        detail = f"The token expired at {token.expires_at.isoformat()}. Ask for a new one"
    response = problem(401, ERROR_TITLES[401], detail)
    response.headers["WWW-Authenticate"] = (
        f'Bearer realm="ig", error="invalid_token", error_description="{detail}"'
    )
    return response


class SignedIn:
    """The Flask-Login user: a live server-side session and the person behind it.

    ``get_id`` returns the session token, not the user id, so that revoking the
    session row signs the browser out on its next request.
    """

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, row: UserSession, token: str, actor: Actor, needs_two_factor: bool):
        self.row = row
        self.user = row.user
        self.token = token
        self.actor = actor
        self.needs_two_factor = needs_two_factor

    def get_id(self) -> str:
        return self.token


def signed_in(row: UserSession, token: str) -> SignedIn:
    """Wrap a session row for Flask-Login, working out whether two-factor is still owed."""
    policies = current_app.extensions["ig.policies"]
    user = row.user
    owes = not row.is_two_factor_done and (
        user.has_totp or service.requires_two_factor(policies, user)
    )
    return SignedIn(row, token, service.actor_for(user, policies), owes)


def init_login(app: Flask) -> None:
    """Wire Flask-Login to server-side sessions."""
    manager = LoginManager(app)
    manager.session_protection = None  # our own server-side sessions do this job
    manager.login_view = "auth.login"

    @manager.user_loader
    def load(token: str) -> SignedIn | None:
        session = get_session()
        now = utcnow()
        row = service.load_session(session, app.extensions["ig.policies"], token, now)
        if row is None:
            return None
        if service.touch_session(session, row, now):
            session.commit()
        return signed_in(row, token)
