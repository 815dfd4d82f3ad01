"""User administration services: list, change roles, disable, reset password or 2FA."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select

from ig.auth import service, totp, users
from ig.auth.models import RecoveryCode
from ig.errors import EditConflict, PermissionDenied, ValidationFailed
from tests import factories
from tests.auth.helpers import NOW, actions
from tests.queries import counting

STRONG = "quartz meadow lantern"


@pytest.fixture
def admin(db, policies):
    return service.actor_for(factories.make_user(db, roles=["administrator"]), policies)


def test_list_users_pages_and_searches(db):
    for number in range(30):
        factories.make_user(db, email=f"list{number:02}@paging.example", name=f"Paging {number}")
    first = users.list_users(db, "paging.example", page=1, per_page=25)
    second = users.list_users(db, "paging.example", page=2, per_page=25)
    assert first.total == 30
    assert first.pages == 2
    assert [u.email for u in first.rows][:2] == ["list00@paging.example", "list01@paging.example"]
    assert len(second.rows) == 5
    assert users.list_users(db, "PAGING 7").total == 1  # name search ignores case
    assert users.list_users(db, "100%_").total == 0  # LIKE wildcards are literal


def test_list_users_runs_a_fixed_number_of_queries(db):
    for number in range(20):
        factories.make_user(db, roles=["staff", "manager"], email=f"q{number}@queries.example")
    db.expire_all()
    with counting(db.get_bind().engine) as statements:
        page = users.list_users(db, "queries.example")
        assert all(u.role_names == {"staff", "manager"} for u in page.rows)
    assert len(statements) <= 3  # count, page, roles (selectin): none per row


def test_update_user_changes_roles_and_audits_both_lists(db, policies, admin):
    user = factories.make_user(db, roles=["staff"])
    users.update_user(
        db, admin, policies, user, user.version, "New Name", ["manager", "staff"], NOW
    )
    assert user.role_names == {"manager", "staff"}
    assert user.name == "New Name"
    assert user.version == 2
    assert actions(db, user.id) == ["user.renamed", "user.roles_changed"]


def test_a_stale_version_is_refused_and_nothing_changes(db, policies, admin):
    user = factories.make_user(db, roles=["staff"], name="Original")
    stale = user.version
    users.update_user(db, admin, policies, user, stale, "First Save", ["staff"], NOW)
    with pytest.raises(EditConflict) as caught:
        users.update_user(db, admin, policies, user, stale, "Second Save", ["auditor"], NOW)
    assert "Someone else changed this record" in caught.value.message
    assert user.name == "First Save"
    assert user.role_names == {"staff"}
    for call in (
        lambda: users.set_active(db, admin, user, stale, False, NOW),
        lambda: users.reset_password(db, admin, policies, user, stale, STRONG, NOW),
        lambda: users.reset_two_factor(db, admin, user, stale, NOW),
    ):
        with pytest.raises(EditConflict):
            call()
    assert user.is_active
    assert user.password_hash == factories.PASSWORD_HASH


@pytest.mark.parametrize(
    ("name", "roles", "field"), [("", ["staff"], "name"), ("A", ["x"], "roles")]
)
def test_update_user_validation(db, policies, admin, name, roles, field):
    user = factories.make_user(db, roles=["staff"])
    with pytest.raises(ValidationFailed) as caught:
        users.update_user(db, admin, policies, user, user.version, name, roles, NOW)
    assert caught.value.field == field
    assert user.role_names == {"staff"}
    assert actions(db, user.id) == []


def test_an_administrator_cannot_remove_their_own_right_to_manage_users(db, policies, admin):
    me = service.get_user(db, admin.user_id)
    with pytest.raises(PermissionDenied):
        users.update_user(db, admin, policies, me, me.version, me.name, ["staff"], NOW)
    assert me.role_names == {"administrator"}


def test_disable_ends_every_session_and_enable_restores_sign_in(db, policies, admin):
    user = factories.make_user(db)
    token = service.start_session(db, user, "", NOW).token
    users.set_active(db, admin, user, user.version, False, NOW)
    assert service.load_session(db, policies, token, NOW) is None
    with pytest.raises(service.SignInRefused):
        service.authenticate(db, policies, user.email, factories.PASSWORD, "1.1.1.1", NOW)
    users.set_active(db, admin, user, user.version, True, NOW)
    assert service.authenticate(db, policies, user.email, factories.PASSWORD, "1.1.1.2", NOW)
    assert service.load_session(db, policies, token, NOW) is None  # old sessions stay ended
    assert [a for a in actions(db, user.id) if a.startswith(("user.", "sessions."))] == [
        "user.disabled",
        "sessions.revoked",
        "user.enabled",
    ]


def test_nobody_can_disable_themselves(db, policies, admin):
    me = service.get_user(db, admin.user_id)
    with pytest.raises(PermissionDenied):
        users.set_active(db, admin, me, me.version, False, NOW)
    assert me.is_active


def test_reset_password_sets_it_ends_sessions_and_audits(db, policies, admin):
    user = factories.make_user(db)
    token = service.start_session(db, user, "", NOW).token
    users.reset_password(db, admin, policies, user, user.version, STRONG, NOW)
    assert service.load_session(db, policies, token, NOW) is None
    assert service.authenticate(db, policies, user.email, STRONG, "1.1.1.1", NOW) is user
    assert "user.password_reset" in actions(db, user.id)


def test_reset_password_refuses_a_weak_one(db, policies, admin):
    user = factories.make_user(db)
    with pytest.raises(ValidationFailed):
        users.reset_password(db, admin, policies, user, user.version, "password1234", NOW)
    assert user.password_hash == factories.PASSWORD_HASH


def test_reset_two_factor_clears_secret_and_codes(db, admin):
    user = factories.make_user(db, roles=["ig_officer"])
    row = service.start_session(db, user, "", NOW).row
    secret = totp.pending_secret(row)
    totp.confirm_enrolment(db, admin, row, pyotp.TOTP(secret).at(NOW), NOW)
    users.reset_two_factor(db, admin, user, user.version, NOW)
    assert not user.has_totp
    assert user.totp_secret is None
    assert db.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all() == []
    assert row.revoked_at == NOW
    assert "two_factor.reset" in actions(db, user.id)
