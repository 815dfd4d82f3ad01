"""ig create-token --days: a token's lifetime from the command line, within the policy."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from ig.auth.models import ApiToken
from ig.db import utcnow
from tests import factories


@pytest.fixture
def run(app, db):
    runner = app.test_cli_runner()

    def invoke(*args):
        db.commit()
        from ig.cli import main

        return runner.invoke(main, list(args))

    return invoke


def tokens_of(db, user_id):
    return db.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user_id))


def lifetime_of(db, user_id, since):
    expires = db.scalar(select(ApiToken.expires_at).where(ApiToken.user_id == user_id))
    return (expires if expires.tzinfo else expires.replace(tzinfo=dt.UTC)) - since


def test_days_sets_the_expiry_and_the_command_says_when(run, db):
    user = factories.make_user(db, email="lms@example.org")
    before = utcnow()
    result = run("create-token", "lms@example.org", "--days", "7")
    assert result.exit_code == 0, result.output
    row = db.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    expires = (
        row.expires_at.replace(tzinfo=dt.UTC) if row.expires_at.tzinfo is None else row.expires_at
    )
    assert dt.timedelta(days=7) <= expires - before < dt.timedelta(days=7, minutes=1)
    assert f"It stops working at {row.expires_at:%Y-%m-%d %H:%M} UTC." in result.output


def test_without_days_a_token_lasts_the_policy_maximum(run, db, policies):
    user = factories.make_user(db, email="lms@example.org")
    before = utcnow()
    result = run("create-token", "lms@example.org")
    assert result.exit_code == 0, result.output
    row = db.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    expires = (
        row.expires_at.replace(tzinfo=dt.UTC) if row.expires_at.tzinfo is None else row.expires_at
    )
    lifetime = expires - before
    assert lifetime.days == policies.security.api_token_max_days


@pytest.mark.parametrize(
    ("days", "message"),
    [("0", "A token must last at least 1 day"), ("100000", "A token can last at most")],
)
def test_a_lifetime_outside_the_policy_is_refused_and_creates_nothing(run, db, days, message):
    user_id = factories.make_user(db, email="lms@example.org").id
    result = run("create-token", "lms@example.org", "--days", days)
    assert result.exit_code == 1
    assert message in result.output
    assert tokens_of(db, user_id) == 0
