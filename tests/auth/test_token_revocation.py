"""API tokens end with the account's sessions: password change or reset, sign out
everywhere, a disabled account. Each revocation is in the audit trail with its reason."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ig.audit.models import AuditEntry
from ig.auth import service, tokens
from ig.auth import users as user_admin
from ig.auth.models import ApiToken
from ig.auth.rules import SYSTEM
from ig.db import utcnow
from tests import factories
from tests.auth.helpers import audit_mark

NEW_PASSWORD = "a brand new passphrase for tests"


def revocations(db, token: ApiToken, after: int) -> list[dict]:
    """The details of the audit entries that revoked ``token`` after the mark."""
    entries = db.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.seq > after,
            AuditEntry.action == "api_token.revoked",
            AuditEntry.record_id == str(token.id),
        )
        .order_by(AuditEntry.seq)
    )
    return [entry.detail for entry in entries]


@pytest.fixture
def two_tokens(db):
    """A user with two live tokens and a bystander with one; returns all three raw."""

    def make(user):
        bystander = factories.make_user(db)
        first = tokens.create_token(db, SYSTEM, user, "Power BI", utcnow())
        second = tokens.create_token(db, SYSTEM, user, "LMS", utcnow())
        theirs = tokens.create_token(db, SYSTEM, bystander, "Theirs", utcnow())
        db.commit()
        return first, second, theirs

    return make


def assert_revoked(db, pairs, mark: int, reason: str) -> None:
    for token, raw in pairs:
        assert tokens.find_user_by_token(db, raw, utcnow()) is None
        assert revocations(db, token, mark) == [{"user_id": token.user_id, "reason": reason}]
        assert token.revoked_reason == reason


def assert_untouched(db, pair) -> None:
    token, raw = pair
    assert tokens.find_user_by_token(db, raw, utcnow()) is not None
    assert token.revoked_at is None


def test_changing_ones_password_revokes_ones_tokens(client, db, login_as, two_tokens):
    user = login_as("staff")
    first, second, theirs = two_tokens(user)
    mark = audit_mark(db)
    response = client.post(
        "/account/password",
        data={"current_password": factories.PASSWORD, "password": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.data
    db.expire_all()
    assert_revoked(db, [first, second], mark, "password changed")
    assert_untouched(db, theirs)


def test_an_administrators_password_reset_revokes_the_users_tokens(db, policies, two_tokens):
    user = factories.make_user(db)
    first, second, theirs = two_tokens(user)
    mark = audit_mark(db)
    user_admin.reset_password(db, SYSTEM, policies, user, user.version, NEW_PASSWORD, utcnow())
    assert_revoked(db, [first, second], mark, "password reset")
    assert_untouched(db, theirs)


def test_signing_out_everywhere_revokes_ones_tokens(client, db, login_as, two_tokens):
    user = login_as("staff")
    first, second, theirs = two_tokens(user)
    mark = audit_mark(db)
    assert client.post("/account/sign-out-everywhere").status_code == 302
    db.expire_all()
    assert_revoked(db, [first, second], mark, "signed out everywhere")
    assert_untouched(db, theirs)


def test_disabling_an_account_revokes_its_tokens_and_enabling_does_not_revive_them(db, two_tokens):
    user = factories.make_user(db)
    first, second, theirs = two_tokens(user)
    mark = audit_mark(db)
    user_admin.set_active(db, SYSTEM, user, user.version, False, utcnow())
    assert_revoked(db, [first, second], mark, "account disabled")
    user_admin.set_active(db, SYSTEM, user, user.version, True, utcnow())
    assert tokens.find_user_by_token(db, first[1], utcnow()) is None
    assert_untouched(db, theirs)


def test_the_service_revokes_tokens_on_a_password_change(db, policies, two_tokens):
    user = factories.make_user(db)
    first, second, _theirs = two_tokens(user)
    mark = audit_mark(db)
    service.change_password(db, SYSTEM, policies, user, factories.PASSWORD, NEW_PASSWORD, utcnow())
    assert_revoked(db, [first, second], mark, "password changed")


def test_an_already_revoked_token_is_not_revoked_again(db, policies, two_tokens):
    user = factories.make_user(db)
    first, second, _theirs = two_tokens(user)
    tokens.revoke_token(db, SYSTEM, first[0].id, utcnow(), owner=user)
    assert first[0].revoked_reason == "revoked by its owner"
    mark = audit_mark(db)
    service.sign_out_everywhere(db, SYSTEM, user, utcnow())
    assert revocations(db, first[0], mark) == []
    assert first[0].revoked_reason == "revoked by its owner"
    assert_revoked(db, [second], mark, "signed out everywhere")


def test_the_api_refuses_a_token_revoked_by_a_password_reset(client, db, policies, two_tokens):
    user = factories.make_user(db)
    (_token, raw), _second, _theirs = two_tokens(user)
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    user_admin.reset_password(db, SYSTEM, policies, user, user.version, NEW_PASSWORD, utcnow())
    db.commit()
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert "revoked" in response.json["detail"]
