"""Security headers on every response, error pages in the layout, and safe next= redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ig.auth.access import public
from ig.web import is_safe_next
from tests import factories


@pytest.fixture
def failing_app(app):
    """The app with a test-only route that raises, answered as production would."""

    @public
    def explode():
        raise RuntimeError("boom")

    app.add_url_rule("/test-only/explode", "explode", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert (
        int(response.headers["Strict-Transport-Security"].split("=")[1].split(";")[0]) >= 31536000
    )


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/sign-in", 200),
        ("get", "/", 302),
        ("get", "/healthz", 200),
        ("get", "/no-such-page", 404),
        ("get", "/sign-out", 405),
        ("post", "/sign-in", 200),
        ("get", "/api/v1/me", 401),
        ("get", "/api/v1/no-such-thing", 404),
        ("get", "/api/v1/openapi.json", 200),
        ("get", "/static/app.css", 200),
    ],
)
def test_headers_on_anonymous_responses(client, method, path, status):
    response = getattr(client, method)(path)
    response.close()  # static files are streamed
    assert response.status_code == status
    assert_security_headers(response)


def test_headers_on_the_500_page(failing_app):
    response = failing_app.test_client().get("/test-only/explode")
    assert response.status_code == 500
    assert_security_headers(response)
    assert b"Sorry, there is a problem with the service" in response.data
    assert b'class="govuk-template"' in response.data
    assert b"boom" not in response.data


def test_a_500_under_the_api_is_problem_json(failing_app):
    failing_app.add_url_rule("/api/explode", "api_explode", failing_app.view_functions["explode"])
    response = failing_app.test_client().get("/api/explode")
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 500
    assert_security_headers(response)


def test_signed_in_pages_are_not_stored(client, login_as):
    login_as("staff")
    for path in ("/", "/account", "/admin/users", "/no-such-page"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path
        assert_security_headers(response)


def test_api_answers_are_not_stored(client):
    for path in ("/api/v1/me", "/api/v1/nothing-here", "/api/v1/openapi.json"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


@pytest.mark.parametrize(
    ("path", "status", "title"),
    [
        ("/admin/users", 403, b"You do not have permission to see this page"),
        ("/no-such-page", 404, b"Page not found"),
        ("/sign-out", 405, b"Sorry, that cannot be done here"),
    ],
)
def test_error_pages_render_the_layout(client, login_as, path, status, title):
    login_as("staff")
    response = client.get(path)
    assert response.status_code == status
    assert title in response.data
    assert b'class="govuk-template"' in response.data
    assert b"Skip to main content" in response.data
    assert b"Your account" in response.data  # the signed-in header


def sign_in_with_next(client, db, target):
    user = factories.make_user(db)
    db.commit()
    return client.post(
        "/sign-in",
        data={"email": user.email, "password": factories.PASSWORD},
        query_string={"next": target},
    )


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/path",
        "https://evil.example",
        "http:evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "/\n/evil.example",
        " //evil.example",
        "evil.example",
        "",
    ],
)
def test_next_never_leads_off_the_site(client, db, target):
    response = sign_in_with_next(client, db, target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_within_the_site_is_followed(client, db):
    response = sign_in_with_next(client, db, "/account?tab=tokens")
    assert response.headers["Location"] == "/account?tab=tokens"


@given(st.text(max_size=30))
@settings(max_examples=300, deadline=None)
def test_anything_accepted_stays_on_the_site_as_a_browser_reads_it(target):
    if is_safe_next(target):
        # Browsers drop tabs and newlines and read "\" as "/" in URLs.
        seen = target.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
        assert seen.startswith("/")
        assert not seen.startswith("//")
        parts = urlsplit(seen)
        assert parts.scheme == ""
        assert parts.netloc == ""
