"""Sign-in, throttling, sessions and cookies through the web pages."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from ig import create_app
from ig.auth import service, tokens
from ig.auth.rules import SYSTEM
from ig.db import Database, utcnow
from tests import factories
from tests.auth.helpers import actions, count_attempts, without_tokens

STRONG = "tangerine lorry whistle"


def sign_in(client, email, password=factories.PASSWORD, **query):
    return client.post("/sign-in", data={"email": email, "password": password}, query_string=query)


def cookie(client, app):
    found = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return found.value if found else None


def is_signed_in(client):
    return client.get("/").status_code == 200


# --- signing in -----------------------------------------------------------------------


def test_sign_in_page(client):
    response = client.get("/sign-in")
    assert response.status_code == 200
    assert b'autocomplete="current-password"' in response.data


def test_sign_in_and_out(client, db):
    user = factories.make_user(db)
    response = sign_in(client, user.email.upper())
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert is_signed_in(client)
    assert client.post("/sign-out").status_code == 302
    assert client.get("/").status_code == 302
    assert actions(db, user.id)[-2:] == ["login", "logout"]


def test_sign_in_goes_on_to_next(client, db):
    user = factories.make_user(db)
    assert client.get("/account").headers["Location"] == "/sign-in?next=/account"
    response = sign_in(client, user.email, next="/account")
    assert response.headers["Location"] == "/account"


def test_the_sign_in_form_checks_its_fields(client):
    response = client.post("/sign-in", data={"email": "not an email", "password": ""})
    assert response.status_code == 200
    assert b"Enter an email address in the correct format" in response.data
    assert b"Enter your password" in response.data
    assert b"govuk-error-summary" in response.data


def test_a_wrong_password_is_refused_counted_and_audited(client, db):
    user = factories.make_user(db)
    response = sign_in(client, user.email, "wrong password")
    assert response.status_code == 200
    assert service.SIGN_IN_REFUSED.encode() in response.data
    assert count_attempts(db, user.email) == 1
    assert actions(db, user.id)[-1] == "login.failed"
    assert not is_signed_in(client)


def test_the_answer_is_identical_whether_or_not_the_account_exists(client, db):
    user = factories.make_user(db, email="exists.same@example.org")
    known = sign_in(client, user.email, "wrong password")
    unknown = sign_in(client, "absent.same@example.org", "wrong password")
    assert known.status_code == unknown.status_code
    assert without_tokens(known.data, user.email) == without_tokens(
        unknown.data, "absent.same@example.org"
    )


@pytest.fixture
def clock(monkeypatch):
    """Control the time the sign-in views see."""
    now = [utcnow()]
    monkeypatch.setattr("ig.auth.views.utcnow", lambda: now[0])
    return now


def test_throttling_through_the_page(client, db, clock):
    user = factories.make_user(db, email="throttled.page@example.org")
    for _ in range(10):
        sign_in(client, user.email, "wrong guess")
    clock[0] += dt.timedelta(minutes=4)
    refused = sign_in(client, user.email)  # the right password
    assert service.THROTTLED.encode() in refused.data
    assert not is_signed_in(client)
    for _ in range(10):
        sign_in(client, "ghost.page@example.org", "wrong guess")
    ghost = sign_in(client, "ghost.page@example.org", "anything")
    assert without_tokens(refused.data, user.email) == without_tokens(
        ghost.data, "ghost.page@example.org"
    )
    clock[0] += dt.timedelta(minutes=1, seconds=1)  # five minutes after the first failures
    assert sign_in(client, user.email).status_code == 302
    assert is_signed_in(client)


# --- sessions -------------------------------------------------------------------------


def test_signing_in_starts_a_new_cookie_session(client, app, db):
    user = factories.make_user(db)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["_user_id"] = "a token the attacker knows"
        session["csrf_token"] = "fixed"
    sign_in(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != "fixed"
        token = session["_user_id"]
    assert token != "a token the attacker knows"
    assert service.load_session(db, app.extensions["ig.policies"], token, utcnow())


def test_an_old_cookie_stops_working_after_sign_out(client, app, db):
    user = factories.make_user(db)
    sign_in(client, user.email)
    saved = cookie(client, app)
    client.post("/sign-out")
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], saved)
    assert not is_signed_in(client)


@pytest.fixture
def two_browsers(app, db):
    """The same user signed in on two browsers."""
    user = factories.make_user(db)
    first, second = app.test_client(), app.test_client()
    for browser in (first, second):
        assert sign_in(browser, user.email).status_code == 302
        assert is_signed_in(browser)
    return user, first, second


def test_sign_out_everywhere_ends_the_other_browser_at_once(two_browsers, db):
    user, first, second = two_browsers
    assert first.post("/account/sign-out-everywhere").status_code == 302
    assert not is_signed_in(first)
    assert not is_signed_in(second)
    assert "sessions.revoked" in actions(db, user.id)


def test_a_password_change_ends_every_session(two_browsers):
    user, first, second = two_browsers
    response = first.post(
        "/account/password", data={"current_password": factories.PASSWORD, "password": STRONG}
    )
    assert response.headers["Location"] == "/sign-in"
    assert not is_signed_in(first)
    assert not is_signed_in(second)
    assert sign_in(second, user.email, STRONG).status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "message"),
    [
        ("wrong", STRONG, b"Your current password is not correct"),
        (factories.PASSWORD, "password1234", b"harder to guess"),
        (factories.PASSWORD, "", b"Enter a new password"),
    ],
)
def test_a_refused_password_change_keeps_the_session(client, login_as, current, new, message):
    login_as("staff")
    response = client.post("/account/password", data={"current_password": current, "password": new})
    assert response.status_code == 422
    assert message in response.data
    assert is_signed_in(client)


def test_disabling_an_account_ends_its_sessions_at_once(two_browsers, db):
    user, first, second = two_browsers
    service.get_user(db, user.id).is_active = False  # as the database sees it, nothing more
    db.commit()
    assert not is_signed_in(first)
    assert not is_signed_in(second)


def test_idle_session_is_refused(client, db, login_as):
    user = login_as("staff")
    row = service.list_sessions(db, user)[0]
    row.last_seen_at = utcnow() - dt.timedelta(minutes=31)
    db.flush()
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


# --- cookies --------------------------------------------------------------------------


def test_the_session_cookie_is_httponly_and_samesite_lax(client, app, db):
    user = factories.make_user(db)
    header = sign_in(client, user.email).headers["Set-Cookie"]
    assert header.startswith("ig=")
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header  # development and tests run over plain http


def test_in_production_the_cookie_is_secure_too(settings, engine, db):
    production = dataclasses.replace(settings, env="production")
    app = create_app(production, Database(engine, session_factory=lambda: db))
    assert not app.testing
    client = app.test_client()
    header = client.get("/sign-in").headers["Set-Cookie"]
    assert header.startswith("__Host-ig=")
    for attribute in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert attribute in header
    assert "Domain" not in header


# --- API tokens on the account page ---------------------------------------------------


def test_the_account_page_lists_and_revokes_ones_own_tokens(client, db, login_as):
    user = login_as("staff")
    token, raw = tokens.create_token(db, SYSTEM, user, "Power BI", utcnow())
    db.commit()
    page = client.get("/account")
    assert b"Power BI" in page.data
    assert token.prefix.encode() in page.data
    assert raw.encode() not in page.data
    response = client.post(f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 302
    assert tokens.find_user_by_token(db, raw, utcnow()) is None
    assert b"Revoked" in client.get("/account").data


def test_nobody_can_revoke_someone_elses_token(client, db, login_as):
    login_as("administrator")
    other = factories.make_user(db)
    token, raw = tokens.create_token(db, SYSTEM, other, "Theirs", utcnow())
    db.commit()
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert tokens.find_user_by_token(db, raw, utcnow()) is not None


def test_account_page_needs_sign_in(client):
    assert client.get("/account").status_code == 302


def test_signing_in_again_ends_the_previous_session(client, app, db):
    user = factories.make_user(db)
    sign_in(client, user.email)
    with client.session_transaction() as session:
        old = session["_user_id"]
    sign_in(client, user.email)
    policies = app.extensions["ig.policies"]
    assert service.load_session(db, policies, old, utcnow()) is None
    assert len(service.list_sessions(db, user)) == 1
