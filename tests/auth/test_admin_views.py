"""User administration pages: who may use them, and each change with its refusals."""

from __future__ import annotations

import pyotp
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from ig.auth import service, totp
from ig.auth.models import User
from ig.auth.rules import SYSTEM
from ig.db import utcnow
from tests import factories
from tests.auth.helpers import actions
from tests.queries import statements_for_get

STRONG = "quartz meadow lantern"


@pytest.fixture
def admin(login_as):
    return login_as("administrator")


@pytest.fixture
def person(db):
    user = factories.make_user(db, roles=["staff"], name="Alex Person")
    db.commit()
    return user


def fresh(db, user):
    db.expire_all()
    return db.get(User, user.id)


def signed_in_browser(app, db, user):
    browser = app.test_client()
    browser.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
    assert browser.get("/").status_code == 200
    return browser


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/admin/users"),
        ("get", "/admin/users/new"),
        ("get", "/admin/users/1"),
        ("get", "/admin/users/1/password"),
        ("post", "/admin/users/1/active"),
        ("post", "/admin/users/1/two-factor"),
    ],
)
def test_anonymous_and_wrong_roles_are_kept_out(client, login_as, method, path):
    assert getattr(client, method)(path).status_code == 302
    login_as("ig_officer")
    response = getattr(client, method)(path)
    assert response.status_code == 403
    assert b"You do not have permission" in response.data


def test_the_list_pages_and_searches(client, db, admin):
    for number in range(30):
        factories.make_user(db, email=f"listed{number:02}@list.example")
    db.commit()
    first = client.get("/admin/users?q=list.example")
    assert first.status_code == 200
    assert b"listed00@list.example" in first.data
    assert b"listed29@list.example" not in first.data
    assert b"Page 1 of 2" in first.data
    second = client.get("/admin/users?q=list.example&page=2")
    assert b"listed29@list.example" in second.data
    assert b"Member of staff" in second.data  # roles by their titles


def test_the_list_makes_no_query_per_row(app, engine, client, db, admin):
    for number in range(3):
        factories.make_user(db, roles=["staff", "manager"], email=f"few{number}@q.example")
    db.commit()
    few = statements_for_get(engine, client, "/admin/users?q=q.example")
    for number in range(20):
        factories.make_user(db, roles=["staff", "auditor"], email=f"many{number}@q.example")
    db.commit()
    assert statements_for_get(engine, client, "/admin/users?q=q.example") == few


def test_create_a_user(client, db, admin):
    response = client.post(
        "/admin/users/new",
        data={
            "email": "Created@Example.org",
            "name": "Created Person",
            "roles": ["manager", "staff"],
            "password": STRONG,
        },
    )
    assert response.status_code == 302
    created = db.scalar(select(User).where(User.email == "created@example.org"))
    assert created.role_names == {"manager", "staff"}
    assert PasswordHasher().verify(created.password_hash, STRONG)
    assert actions(db, created.id) == ["user.created"]
    assert response.headers["Location"] == f"/admin/users/{created.id}"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": "nope"}, b"Enter an email address in the correct format"),
        ({"roles": []}, b"Choose at least one role"),
        ({"roles": ["wizard"]}, b"is not a valid choice"),
        ({"password": "password1234"}, b"harder to guess"),
        ({"email": "taken.admin@example.org"}, b"already exists"),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(client, db, admin, change, message):
    factories.make_user(db, email="taken.admin@example.org")
    db.commit()
    data = {"email": "new.bad@example.org", "name": "N", "roles": ["staff"], "password": STRONG}
    response = client.post("/admin/users/new", data={**data, **change})
    assert response.status_code == 422
    assert message in response.data
    assert b"govuk-error-summary" in response.data
    assert db.scalar(select(User).where(User.email == "new.bad@example.org")) is None


def test_change_roles(client, db, admin, person):
    page = client.get(f"/admin/users/{person.id}")
    assert page.status_code == 200
    assert f'name="version" type="hidden" value="{person.version}"'.encode() in page.data
    response = client.post(
        f"/admin/users/{person.id}",
        data={"version": person.version, "name": "Alex Person", "roles": ["auditor"]},
    )
    assert response.status_code == 302
    assert fresh(db, person).role_names == {"auditor"}
    assert actions(db, person.id)[-1] == "user.roles_changed"


def test_a_stale_edit_is_refused_with_the_conflict_message(client, db, admin, person):
    stale = person.version
    client.post(
        f"/admin/users/{person.id}",
        data={"version": stale, "name": "First Editor", "roles": ["staff"]},
    )
    response = client.post(
        f"/admin/users/{person.id}",
        data={"version": stale, "name": "Second Editor", "roles": ["auditor"]},
    )
    assert response.status_code == 409
    assert b"Someone else changed this record while you were editing it" in response.data
    assert b"Second Editor" in response.data  # what they typed is still in the form
    stored = fresh(db, person)
    assert stored.name == "First Editor"
    assert stored.role_names == {"staff"}


def test_an_edit_without_roles_is_refused(client, db, admin, person):
    response = client.post(
        f"/admin/users/{person.id}", data={"version": person.version, "name": "X", "roles": []}
    )
    assert response.status_code == 422
    assert fresh(db, person).name == "Alex Person"


def test_an_administrator_cannot_demote_themselves(client, db, admin):
    response = client.post(
        f"/admin/users/{admin.id}",
        data={"version": admin.version, "name": admin.name, "roles": ["staff"]},
    )
    assert response.status_code == 403
    assert b"You cannot remove your own right to manage users" in response.data
    assert fresh(db, admin).role_names == {"administrator"}


def test_unknown_user_is_404(client, admin):
    assert client.get("/admin/users/999999").status_code == 404


def test_disable_ends_the_persons_sessions_and_enable_restores(app, client, db, admin, person):
    browser = signed_in_browser(app, db, person)
    version = fresh(db, person).version
    response = client.post(f"/admin/users/{person.id}/active", data={"version": version})
    assert response.status_code == 302
    assert not fresh(db, person).is_active
    assert browser.get("/").status_code == 302
    assert actions(db, person.id)[-2:] == ["user.disabled", "sessions.revoked"]
    version = fresh(db, person).version
    client.post(f"/admin/users/{person.id}/active", data={"version": version, "active": "yes"})
    assert fresh(db, person).is_active
    assert actions(db, person.id)[-1] == "user.enabled"


def test_disable_with_a_stale_version_changes_nothing(client, db, admin, person):
    response = client.post(f"/admin/users/{person.id}/active", data={"version": person.version + 5})
    assert response.status_code == 409
    assert b"Someone else changed this record" in response.data
    assert fresh(db, person).is_active


def test_nobody_can_disable_themselves(client, db, admin):
    assert b"Disable this account" not in client.get(f"/admin/users/{admin.id}").data
    response = client.post(f"/admin/users/{admin.id}/active", data={"version": admin.version})
    assert response.status_code == 403
    assert fresh(db, admin).is_active


def test_reset_password(app, client, db, admin, person):
    browser = signed_in_browser(app, db, person)
    page = client.get(f"/admin/users/{person.id}/password")
    assert page.status_code == 200
    version = fresh(db, person).version
    response = client.post(
        f"/admin/users/{person.id}/password", data={"version": version, "password": STRONG}
    )
    assert response.status_code == 302
    assert browser.get("/").status_code == 302
    assert PasswordHasher().verify(fresh(db, person).password_hash, STRONG)
    assert "user.password_reset" in actions(db, person.id)


@pytest.mark.parametrize("password", ["", "password1234"])
def test_reset_password_refuses_a_weak_one(client, db, admin, person, password):
    response = client.post(
        f"/admin/users/{person.id}/password",
        data={"version": person.version, "password": password},
    )
    assert response.status_code == 422
    assert fresh(db, person).password_hash == factories.PASSWORD_HASH


def test_reset_two_factor(client, db, admin, person):
    row = service.start_session(db, person, "", utcnow()).row
    secret = totp.pending_secret(row)
    totp.confirm_enrolment(db, SYSTEM, row, pyotp.TOTP(secret).now(), utcnow())
    db.commit()
    assert b"Turn off two-factor authentication" in client.get(f"/admin/users/{person.id}").data
    version = fresh(db, person).version
    response = client.post(f"/admin/users/{person.id}/two-factor", data={"version": version})
    assert response.status_code == 302
    assert not fresh(db, person).has_totp
    assert actions(db, person.id)[-2:] == ["two_factor.reset", "sessions.revoked"]
