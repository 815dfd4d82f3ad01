"""Accounts, sign-in throttling and server-side sessions, on a real database."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from argon2 import Type, extract_parameters
from sqlalchemy import func, select

from ig.auth import service, throttle
from ig.auth.models import LoginAttempt, User, UserSession
from ig.auth.rules import SYSTEM
from ig.errors import NotFound, ValidationFailed
from tests import factories
from tests.auth.helpers import NOW, PRODUCTION_HASHER, actions, audit_mark, count_attempts

STRONG = "tangerine lorry whistle"
MINUTE = dt.timedelta(minutes=1)


def user_count(db):
    return db.scalar(select(func.count()).select_from(User))


# --- creating users -------------------------------------------------------------------


def test_production_hashes_use_argon2id_with_rfc_9106_parameters():
    parameters = extract_parameters(PRODUCTION_HASHER.hash("x"))
    assert parameters.type is Type.ID
    assert parameters.time_cost >= 3
    assert parameters.memory_cost >= 64 * 1024
    assert service._DUMMY_HASH.startswith("$argon2id$")


def test_create_user_hashes_with_argon2id_and_audits(db, policies):
    user = service.create_user(
        db, SYSTEM, policies, " Priya.Shah@Eastmere.example ", "Priya Shah", STRONG, ["ig_officer"]
    )
    assert user.email == "priya.shah@eastmere.example"
    assert user.password_hash.startswith("$argon2id$")
    assert STRONG not in user.password_hash
    assert user.role_names == {"ig_officer"}
    assert actions(db, user.id) == ["user.created"]


@pytest.mark.parametrize(
    ("email", "roles", "password", "field"),
    [
        ("not-an-email", ["staff"], STRONG, "email"),
        ("a@b.org", ["wizard"], STRONG, "roles"),
        ("a@b.org", [], STRONG, "roles"),
        ("a@b.org", ["staff"], "password1234", "password"),
        ("a@b.org", ["staff"], "short", "password"),
    ],
)
def test_create_user_refuses_bad_input_and_writes_nothing(
    db, policies, email, roles, password, field
):
    before = user_count(db)
    mark = audit_mark(db)
    with pytest.raises(ValidationFailed) as caught:
        service.create_user(db, SYSTEM, policies, email, "A Person", password, roles)
    assert caught.value.field == field
    assert user_count(db) == before
    assert actions(db, after=mark) == []


def test_create_user_refuses_a_duplicate_email_whatever_its_case(db, policies):
    factories.make_user(db, email="dup@example.org")
    with pytest.raises(ValidationFailed, match="already exists"):
        service.create_user(db, SYSTEM, policies, "DUP@example.org", "Dup", STRONG, ["staff"])


def test_get_user_raises_not_found(db):
    with pytest.raises(NotFound):
        service.get_user(db, 987654)


# --- authenticate and throttling ------------------------------------------------------


def sign_in(db, policies, email, password=factories.PASSWORD, address="10.0.0.1", now=NOW):
    return service.authenticate(db, policies, email, password, address, now)


def test_right_password_signs_in(db, policies):
    user = factories.make_user(db)
    assert sign_in(db, policies, user.email.upper()) is user
    assert count_attempts(db, user.email) == 0


@pytest.mark.parametrize("case", ["wrong password", "unknown account", "disabled account"])
def test_every_failure_gets_the_same_answer_and_is_counted(db, policies, case):
    user = factories.make_user(db, is_active=case != "disabled account")
    email = f"nobody.{case[:4]}@example.org" if case == "unknown account" else user.email
    password = "not the password" if case == "wrong password" else factories.PASSWORD
    mark = audit_mark(db)
    with pytest.raises(service.SignInRefused) as caught:
        sign_in(db, policies, email, password)
    assert caught.value.message == service.SIGN_IN_REFUSED
    assert count_attempts(db, email) == 1
    assert actions(db, after=mark) == ["login.failed"]


def fail(db, policies, email, times, address="10.0.0.1", now=NOW):
    for _ in range(times):
        with pytest.raises(service.SignInRefused):
            sign_in(db, policies, email, "wrong guess", address, now)


@pytest.mark.parametrize("exists", [True, False])
def test_ten_failures_throttle_the_account_even_with_the_right_password(db, policies, exists):
    email = factories.make_user(db).email if exists else f"ghost{id(db)}@example.org"
    limit = policies.security.login_max_failures_per_account
    assert limit == 10
    fail(db, policies, email, limit)
    with pytest.raises(service.SignInRefused) as caught:
        sign_in(db, policies, email, now=NOW + MINUTE)
    assert caught.value.message == service.THROTTLED
    assert actions(db)[-1] == "login.throttled"
    assert count_attempts(db, email) == limit  # a throttled attempt is not itself counted


def test_nine_failures_do_not_throttle(db, policies):
    user = factories.make_user(db)
    fail(db, policies, user.email, 9)
    assert sign_in(db, policies, user.email, now=NOW + MINUTE) is user


def test_the_throttle_lifts_when_the_window_has_passed(db, policies):
    user = factories.make_user(db)
    fail(db, policies, user.email, 10)
    window = dt.timedelta(minutes=policies.security.login_window_minutes)
    with pytest.raises(service.SignInRefused):
        sign_in(db, policies, user.email, now=NOW + window - dt.timedelta(seconds=1))
    assert sign_in(db, policies, user.email, now=NOW + window) is user


def test_failures_on_other_accounts_do_not_throttle_this_one(db, policies):
    user = factories.make_user(db)
    fail(db, policies, "someone.else@example.org", 10)
    assert sign_in(db, policies, user.email) is user


def test_the_per_address_limit_throttles_guesses_across_accounts(db, policies):
    policies = dataclasses.replace(
        policies,
        security=dataclasses.replace(policies.security, login_max_failures_per_address=3),
    )
    user = factories.make_user(db)
    for number in range(3):
        fail(db, policies, f"spray{number}@example.org", 1, address="203.0.113.9")
    with pytest.raises(service.SignInRefused, match="too many attempts"):
        sign_in(db, policies, user.email, address="203.0.113.9")
    assert sign_in(db, policies, user.email, address="198.51.100.1") is user


def test_attempts_store_a_keyed_hash_not_the_email(db, policies):
    fail(db, policies, "Secret.Person@example.org", 1)
    stored = db.scalar(select(LoginAttempt.account_key))
    assert "secret" not in stored.lower()
    assert stored == throttle.account_key(" secret.person@EXAMPLE.org ")


# --- sessions -------------------------------------------------------------------------


def test_start_session_stores_only_a_hash_of_the_token_and_audits(db, policies):
    user = factories.make_user(db)
    new = service.start_session(db, user, "Firefox", NOW)
    assert new.row.token_hash != new.token
    assert new.token not in new.row.token_hash
    assert service.load_session(db, policies, new.token, NOW) is new.row
    assert service.load_session(db, policies, "forged", NOW) is None
    assert actions(db, user.id) == ["login"]


def test_idle_timeout(db, policies):
    user = factories.make_user(db)
    token = service.start_session(db, user, "", NOW).token
    idle = dt.timedelta(minutes=policies.security.session_idle_minutes)
    assert service.load_session(db, policies, token, NOW + idle) is not None
    assert service.load_session(db, policies, token, NOW + idle + MINUTE) is None


def test_activity_keeps_a_session_alive_until_the_absolute_limit(db, policies):
    user = factories.make_user(db)
    new = service.start_session(db, user, "", NOW)
    absolute = dt.timedelta(hours=policies.security.session_absolute_hours)
    step = dt.timedelta(minutes=policies.security.session_idle_minutes - 1)
    now = NOW
    while now + step <= NOW + absolute:
        now += step
        row = service.load_session(db, policies, new.token, now)
        assert row is not None, now
        assert service.touch_session(db, row, now)
    assert service.load_session(db, policies, new.token, NOW + absolute + MINUTE) is None


def test_touch_writes_at_most_once_a_minute(db):
    user = factories.make_user(db)
    row = service.start_session(db, user, "", NOW).row
    assert not service.touch_session(db, row, NOW + dt.timedelta(seconds=59))
    assert row.last_seen_at == NOW


def test_end_session_revokes_only_that_session(db, policies):
    user = factories.make_user(db)
    one = service.start_session(db, user, "", NOW)
    two = service.start_session(db, user, "", NOW)
    service.end_session(db, one.row, NOW)
    assert service.load_session(db, policies, one.token, NOW) is None
    assert service.load_session(db, policies, two.token, NOW) is two.row
    assert actions(db, user.id)[-1] == "logout"


def test_end_all_sessions_revokes_every_one(db, policies):
    user = factories.make_user(db)
    other = factories.make_user(db)
    tokens = [service.start_session(db, user, "", NOW).token for _ in range(3)]
    keep = service.start_session(db, other, "", NOW).token
    assert service.end_all_sessions(db, SYSTEM, user, NOW, "test") == 3
    assert all(service.load_session(db, policies, token, NOW) is None for token in tokens)
    assert service.load_session(db, policies, keep, NOW) is not None
    assert service.list_sessions(db, user) == []


def test_a_disabled_user_has_no_live_session(db, policies):
    user = factories.make_user(db)
    token = service.start_session(db, user, "", NOW).token
    user.is_active = False
    db.flush()
    assert service.load_session(db, policies, token, NOW) is None


def test_change_password_ends_every_session_and_audits(db, policies):
    user = factories.make_user(db)
    token = service.start_session(db, user, "", NOW).token
    actor = service.actor_for(user, policies)
    service.change_password(db, actor, policies, user, factories.PASSWORD, STRONG, NOW)
    assert service.load_session(db, policies, token, NOW) is None
    assert sign_in(db, policies, user.email, STRONG) is user
    assert user.password_changed_at == NOW
    assert {"user.password_changed", "sessions.revoked"} <= set(actions(db, user.id))


@pytest.mark.parametrize(
    ("current", "new", "field"),
    [("wrong", STRONG, "current_password"), (factories.PASSWORD, "password1234", "password")],
)
def test_change_password_refusals_change_nothing(db, policies, current, new, field):
    user = factories.make_user(db)
    token = service.start_session(db, user, "", NOW).token
    with pytest.raises(ValidationFailed) as caught:
        service.change_password(db, SYSTEM, policies, user, current, new, NOW)
    assert caught.value.field == field
    assert user.password_hash == factories.PASSWORD_HASH
    assert service.load_session(db, policies, token, NOW) is not None


def test_list_sessions_newest_first(db):
    user = factories.make_user(db)
    old = service.start_session(db, user, "old", NOW).row
    new = service.start_session(db, user, "new", NOW + MINUTE).row
    assert service.list_sessions(db, user) == [new, old]


# --- two-factor requirement and actors ------------------------------------------------


@pytest.mark.parametrize(
    ("role", "required"),
    [
        ("administrator", True),
        ("ig_officer", True),
        ("siro", True),
        ("caldicott_guardian", True),
        ("deputy_caldicott_guardian", True),
        ("staff", False),
        ("manager", True),
        ("auditor", True),
    ],
)
def test_two_factor_is_required_by_role(db, policies, role, required):
    assert service.requires_two_factor(policies, factories.make_user(db, roles=[role])) is required


def test_policy_can_require_two_factor_for_everyone(db, policies):
    everyone = dataclasses.replace(
        policies, security=dataclasses.replace(policies.security, totp_required_for_everyone=True)
    )
    assert service.requires_two_factor(everyone, factories.make_user(db, roles=["staff"]))


def test_actor_for_holds_the_roles_permissions(db, policies):
    user = factories.make_user(db, roles=["auditor"])
    actor = service.actor_for(user, policies)
    assert actor.user_id == user.id
    assert actor.label == user.email
    assert actor.can("audit.verify")
    assert not actor.can("users.manage")


def test_session_rows_keep_the_user_agent_short(db):
    row = service.start_session(db, factories.make_user(db), "x" * 1000, NOW).row
    assert len(db.get(UserSession, row.id).user_agent) == 300
