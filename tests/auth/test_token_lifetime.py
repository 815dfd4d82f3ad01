"""API tokens carry an expiry within the policy's maximum and record when they were used."""

from __future__ import annotations

import datetime as dt

import pytest

from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.db import utcnow
from ig.errors import ValidationFailed
from tests import factories
from tests.auth.helpers import NOW

DAY = dt.timedelta(days=1)


def test_a_token_lasts_the_policy_maximum_unless_asked_for_less(db, policies):
    user = factories.make_user(db)
    maximum = policies.security.api_token_max_days
    token, _raw = tokens.create_token(db, SYSTEM, user, "LMS", NOW, max_days=maximum)
    assert token.expires_at == NOW + maximum * DAY
    short, _raw = tokens.create_token(db, SYSTEM, user, "LMS", NOW, days=7, max_days=maximum)
    assert short.expires_at == NOW + 7 * DAY


def test_the_shipped_maximum_is_the_default(db, policies):
    token, _raw = tokens.create_token(db, SYSTEM, factories.make_user(db), "LMS", NOW)
    assert token.expires_at == NOW + policies.security.api_token_max_days * DAY


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (31, "A token can last at most 30 days"),
        (0, "A token must last at least 1 day"),
        (-5, "A token must last at least 1 day"),
    ],
)
def test_a_lifetime_outside_the_policy_is_refused(db, days, message):
    with pytest.raises(ValidationFailed) as refused:
        tokens.create_token(db, SYSTEM, factories.make_user(db), "x", NOW, days=days, max_days=30)
    assert refused.value.field == "days"
    assert message in refused.value.message


def test_a_token_works_until_its_expiry_and_not_from_then(db):
    user = factories.make_user(db)
    token, raw = tokens.create_token(db, SYSTEM, user, "LMS", NOW, days=2)
    assert tokens.find_user_by_token(db, raw, token.expires_at - dt.timedelta(seconds=1)) is user
    assert tokens.find_user_by_token(db, raw, token.expires_at) is None
    assert tokens.check_token(db, raw, token.expires_at).refusal == "expired"
    assert tokens.check_token(db, raw, NOW).refusal is None


def test_an_expired_token_is_refused_by_the_api_saying_it_expired(client, db):
    user = factories.make_user(db)
    _token, raw = tokens.create_token(db, SYSTEM, user, "LMS", utcnow() - 10 * DAY, days=3)
    db.commit()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert "expired" in response.json["detail"]
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_last_use_is_written_at_most_once_a_minute(db):
    user = factories.make_user(db)
    token, raw = tokens.create_token(db, SYSTEM, user, "LMS", NOW)
    assert token.last_used_at is None
    tokens.find_user_by_token(db, raw, NOW)
    assert token.last_used_at == NOW
    db.commit()
    tokens.find_user_by_token(db, raw, NOW + dt.timedelta(seconds=59))
    assert token.last_used_at == NOW
    assert not db.dirty
    later = NOW + dt.timedelta(seconds=61)
    tokens.find_user_by_token(db, raw, later)
    assert token.last_used_at == later


def test_the_account_page_shows_last_use_and_expiry_and_marks_dead_tokens(client, db, login_as):
    user = login_as("staff")
    now = utcnow()
    _live, live_raw = tokens.create_token(db, SYSTEM, user, "Live one", now, days=30)
    tokens.find_user_by_token(db, live_raw, now)
    tokens.create_token(db, SYSTEM, user, "Old one", now - 40 * DAY, days=5)
    gone, _raw = tokens.create_token(db, SYSTEM, user, "Gone one", now, days=30)
    tokens.revoke_token(db, SYSTEM, gone.id, now, owner=user)
    db.commit()
    page = client.get("/account").get_data(as_text=True)
    rows = {name: _row(page, name) for name in ("Live one", "Old one", "Gone one")}
    assert "Expires" in page
    assert "Last used" in page
    assert "Never" not in rows["Live one"]
    assert "Never" in rows["Old one"]
    assert "Revoke" in rows["Live one"]
    assert "Expired" not in rows["Live one"]
    assert "Expired" in rows["Old one"]
    assert "<button" not in rows["Old one"]
    assert "Revoked" in rows["Gone one"]
    assert "revoked by its owner" in rows["Gone one"]


def _row(page: str, name: str) -> str:
    """The table row of the token called ``name``."""
    start = page.index(f">{name}<")
    return page[page.rindex("<tr", 0, start) : page.index("</tr>", start)]
