"""Two-factor authentication through the pages: forced enrolment, codes, replay, recovery."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pyotp
import pytest

from ig.auth import totp
from ig.db import utcnow
from tests import factories
from tests.auth.helpers import actions

SECRET = re.compile(rb'data-testid="totp-secret">([A-Z2-7]+)<')
CODES = re.compile(rb"<li><code>([0-9a-f-]+)</code></li>")
LATER = dt.timedelta(seconds=30)


def sign_in(client, user):
    return client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})


def enrol(client):
    """Go through enrolment from the set-up page; returns the TOTP and recovery codes."""
    page = client.get("/account/two-factor")
    assert page.status_code == 200
    assert b"<svg" in page.data  # the QR code, inline
    otp = pyotp.TOTP(SECRET.search(page.data).group(1).decode())
    done = client.post("/account/two-factor", data={"code": otp.now()})
    assert done.status_code == 200, done.data
    codes = [code.decode() for code in CODES.findall(done.data)]
    assert len(codes) == totp.RECOVERY_CODES
    return otp, codes


@pytest.fixture
def officer(db):
    user = factories.make_user(db, roles=["ig_officer"])
    db.commit()
    return user


@pytest.mark.parametrize(
    "role", ["administrator", "ig_officer", "siro", "caldicott_guardian", "manager", "auditor"]
)
def test_these_roles_are_forced_through_enrolment_before_any_page(client, db, role):
    user = factories.make_user(db, roles=[role])
    db.commit()
    assert sign_in(client, user).headers["Location"] == "/sign-in/two-factor"
    for path in ("/", "/account", "/audit/", "/admin/users"):
        assert client.get(path).headers["Location"] == "/sign-in/two-factor", path
    assert client.get("/sign-in/two-factor").headers["Location"] == "/account/two-factor"
    enrol(client)
    assert client.get("/").status_code == 200


def test_enrolment_refuses_a_wrong_code_and_audits_it(client, db, officer):
    sign_in(client, officer)
    page = client.get("/account/two-factor")
    otp = pyotp.TOTP(SECRET.search(page.data).group(1).decode())
    wrong = otp.at(utcnow() + 20 * LATER)
    response = client.post("/account/two-factor", data={"code": wrong})
    assert response.status_code == 422
    assert totp.CODE_REFUSED.encode() in response.data
    assert actions(db, officer.id)[-1] == "two_factor.enrolment_failed"
    assert client.get("/").status_code == 302  # still not through


def test_showing_the_set_up_page_changes_nothing(client, db, officer):
    sign_in(client, officer)
    version = officer.version
    first = SECRET.search(client.get("/account/two-factor").data).group(1)
    second = SECRET.search(client.get("/account/two-factor").data).group(1)
    assert first == second  # the same secret until this session enrols
    db.expire_all()
    stored = db.get(type(officer), officer.id)
    assert stored.totp_secret is None
    assert stored.version == version


def test_enrolment_form_needs_a_code(client, officer):
    sign_in(client, officer)
    client.get("/account/two-factor")
    response = client.post("/account/two-factor", data={"code": ""})
    assert response.status_code == 422
    assert b"Enter the 6-digit code" in response.data


def test_the_next_sign_in_asks_for_a_code_and_refuses_a_replay(app, db, officer):
    first = app.test_client()
    sign_in(first, officer)
    otp, _codes = enrol(first)
    second = app.test_client()
    assert sign_in(second, officer).headers["Location"] == "/sign-in/two-factor"
    assert b"Enter your code" in second.get("/sign-in/two-factor").data
    code = otp.at(utcnow() + LATER)
    assert second.post("/sign-in/two-factor", data={"code": code}).headers["Location"] == "/"
    assert second.get("/").status_code == 200
    assert actions(db, officer.id)[-1] == "two_factor.passed"

    third = app.test_client()
    sign_in(third, officer)
    replay = third.post("/sign-in/two-factor", data={"code": code})
    assert replay.status_code == 422
    assert b"already been used" in replay.data
    assert third.get("/").status_code == 302
    assert actions(db, officer.id)[-1] == "two_factor.failed"


def test_a_recovery_code_signs_in_once(app, db, officer):
    first = app.test_client()
    sign_in(first, officer)
    _otp, codes = enrol(first)
    second = app.test_client()
    sign_in(second, officer)
    assert second.post("/sign-in/two-factor", data={"code": codes[3]}).status_code == 302
    assert second.get("/").status_code == 200
    third = app.test_client()
    sign_in(third, officer)
    assert third.post("/sign-in/two-factor", data={"code": codes[3]}).status_code == 422
    assert b"9 recovery codes left" in second.get("/account").data


def test_new_recovery_codes_from_the_account_page(app, officer):
    client = app.test_client()
    sign_in(client, officer)
    _otp, old = enrol(client)
    response = client.post("/account/recovery-codes")
    new = [code.decode() for code in CODES.findall(response.data)]
    assert len(new) == totp.RECOVERY_CODES
    assert set(new).isdisjoint(old)


def test_staff_are_not_forced_but_are_reminded(client, db):
    user = factories.make_user(db, roles=["staff"])
    db.commit()
    assert sign_in(client, user).headers["Location"] == "/"
    home = client.get("/")
    assert b"Turn on two-factor authentication" in home.data
    enrol(client)
    assert b"Turn on two-factor authentication" not in client.get("/").data


def test_staff_who_turned_it_on_must_give_a_code(app, db):
    user = factories.make_user(db, roles=["staff"])
    db.commit()
    first = app.test_client()
    sign_in(first, user)
    enrol(first)
    second = app.test_client()
    assert sign_in(second, user).headers["Location"] == "/sign-in/two-factor"


def test_policy_can_force_everyone_through_enrolment(app, client, db):
    policies = app.extensions["ig.policies"]
    app.extensions["ig.policies"] = dataclasses.replace(
        policies,
        security=dataclasses.replace(policies.security, totp_required_for_everyone=True),
    )
    user = factories.make_user(db, roles=["staff"])
    db.commit()
    assert sign_in(client, user).headers["Location"] == "/sign-in/two-factor"
    assert client.get("/").headers["Location"] == "/sign-in/two-factor"


def test_a_signed_in_user_without_a_pending_code_skips_the_code_page(client, login_as):
    login_as("staff")
    assert client.get("/sign-in/two-factor").headers["Location"] == "/"


def test_the_code_page_needs_a_password_first(client):
    assert client.get("/sign-in/two-factor").headers["Location"].startswith("/sign-in?")
    assert client.get("/account/two-factor").headers["Location"].startswith("/sign-in?")
