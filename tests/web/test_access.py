"""Deny by default, CSRF on every form, no change on GET, and navigation by role."""

from __future__ import annotations

import re

import pytest
from flask import url_for

from ig.auth.access import PARTIAL, PUBLIC, permission_of
from ig.navigation import SECTIONS

# The only routes open without a permission: sign-in, the health check, the API's
# description, the FOI disclosure log (published for anyone to read) and static files.
PUBLIC_ENDPOINTS = {"auth.login", "home.healthz", "api.openapi", "static"}
PUBLIC_ENDPOINTS |= {"rights.disclosure_log", "rights.disclosure_log_csv"}
# Reachable between password and second factor: finishing or abandoning sign-in.
PARTIAL_ENDPOINTS = {"auth.logout", "auth.two_factor", "auth.enrol"}
CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def example_url(app, rule):
    """A URL for ``rule`` with each argument filled in."""
    with app.test_request_context():
        return url_for(rule.endpoint, **dict.fromkeys(rule.arguments, 1))


def test_every_route_names_a_permission(app):
    missing = [rule.rule for rule in rules(app) if permission_of(app, rule.endpoint) is None]
    assert missing == [], f"routes with no permission (deny by default would 403 them): {missing}"


def test_only_the_allow_list_is_public_or_partial(app):
    public = {r.endpoint for r in rules(app) if permission_of(app, r.endpoint) == PUBLIC}
    partial = {r.endpoint for r in rules(app) if permission_of(app, r.endpoint) == PARTIAL}
    assert public == PUBLIC_ENDPOINTS - {"static"}
    assert partial == PARTIAL_ENDPOINTS
    assert permission_of(app, "static") == PUBLIC


def test_every_named_permission_is_known_to_roles(app, policies):
    from ig.auth.permissions import PERMISSIONS

    for rule in rules(app):
        needed = permission_of(app, rule.endpoint)
        assert needed in PERMISSIONS or needed in (PUBLIC, PARTIAL), rule.rule


def test_a_route_without_a_permission_is_refused_even_to_everyone(app, client, login_as, policies):
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    login_as(*policies.roles.roles)
    response = client.get("/forgotten")
    assert response.status_code == 403
    assert b"secret" not in response.data


def changing_rules(app):
    return [
        rule for rule in rules(app) if rule.methods & CHANGING and not rule.rule.startswith("/api/")
    ]


def test_every_form_post_without_a_csrf_token_is_refused(app, client, login_as, policies):
    login_as(*policies.roles.roles)
    assert changing_rules(app), "expected some forms"
    for rule in changing_rules(app):
        url = example_url(app, rule)
        for method in sorted(rule.methods & CHANGING):
            if method == "POST":
                response = client.post(url, data={"x": "1"}, csrf=False)
            else:
                response = client.open(url, method=method, data={"x": "1"})
            assert response.status_code == 400, f"{method} {url} answered {response.status_code}"
            assert b"Sorry, there is a problem with the request" in response.data
            assert b"Go back, reload the page and try again" in response.data


def test_a_forged_csrf_token_is_refused(client, login_as):
    login_as("staff")
    response = client.post("/account/sign-out-everywhere", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert client.get("/").status_code == 200


def test_api_writes_take_bearer_tokens_not_csrf(app, client):
    for rule in rules(app):
        if rule.rule.startswith("/api/") and rule.methods & CHANGING:
            method = sorted(rule.methods & CHANGING)[0]
            response = client.open(example_url(app, rule), method=method, json={})
            assert response.status_code == 401, rule.rule


@pytest.mark.parametrize(
    "path",
    [
        "/sign-out",
        "/account/sign-out-everywhere",
        "/account/recovery-codes",
        "/account/tokens/1/revoke",
        "/admin/users/1/active",
        "/admin/users/1/two-factor",
    ],
)
def test_state_changing_routes_refuse_get(client, db, login_as, path):
    login_as("administrator")
    response = client.get(path)
    assert response.status_code == 405
    assert client.get("/").status_code == 200  # still signed in: nothing was ended


def test_post_only_routes_are_the_state_changing_ones(app):
    for rule in changing_rules(app):
        if "GET" not in rule.methods:
            continue
        # A route taking both shows a form on GET; its view must validate a FlaskForm
        # (and so CSRF) before changing anything, which the CSRF test above proves.
        assert rule.methods & CHANGING == {"POST"}, rule.rule


def nav_links(html):
    nav = re.search(rb'<nav[^>]*aria-label="Menu".*?</nav>', html, re.S)
    return set(re.findall(rb'href="([^"]+)"', nav.group(0))) if nav else set()


@pytest.mark.parametrize(
    "role",
    [
        "ig_officer",
        "caldicott_guardian",
        "deputy_caldicott_guardian",
        "siro",
        "manager",
        "staff",
        "auditor",
        "administrator",
    ],
)
def test_each_role_sees_only_its_navigation(app, client, login_as, policies, role):
    login_as(role)
    granted = policies.roles.roles[role].permissions
    with app.test_request_context():
        expected = set()
        for section in SECTIONS:
            usable = [e for _label, e in section.pages if permission_of(app, e) in granted]
            if usable:  # a section links to the first of its pages the role may open
                expected.add(url_for(usable[0]).encode())
    assert nav_links(client.get("/").data) == expected
    for link in expected:  # and every link it offers opens
        assert client.get(link.decode()).status_code == 200, link


def test_a_wrong_role_gets_the_403_page_in_the_layout(client, login_as):
    login_as("staff")
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert b'class="govuk-template"' in response.data
    assert b"You do not have permission to see this page" in response.data
    assert b"Go to the home page" in response.data


def test_no_navigation_before_the_second_factor(client, db):
    from tests import factories

    user = factories.make_user(db, roles=["administrator"])
    db.commit()
    client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
    assert nav_links(client.get("/account/two-factor").data) == set()


def test_showing_pages_changes_nothing(client, db, login_as):
    from sqlalchemy import func, select

    from ig.auth.models import ApiToken, RecoveryCode, User, UserSession
    from tests import factories
    from tests.auth.helpers import actions, audit_mark

    admin = login_as("administrator")
    other = factories.make_user(db)
    db.commit()
    tables = (User, UserSession, ApiToken, RecoveryCode)

    def snapshot():
        db.expire_all()
        counts = [db.scalar(select(func.count()).select_from(t)) for t in tables]
        versions = [db.get(User, u.id).version for u in (admin, other)]
        return counts, versions

    before, mark = snapshot(), audit_mark(db)
    for path in (
        "/",
        "/account",
        "/account/two-factor",
        "/sign-in",
        "/sign-in/two-factor",
        "/admin/users",
        "/admin/users/new",
        f"/admin/users/{other.id}",
        f"/admin/users/{other.id}/password",
        "/healthz",
        "/api/v1/me",
        "/api/v1/openapi.json",
    ):
        assert client.get(path).status_code in (200, 302, 401), path
    assert snapshot() == before
    assert actions(db, after=mark) == []
