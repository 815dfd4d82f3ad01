"""The user and token commands: ig create-user, ig create-token, ig revoke-token."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from ig.auth import tokens
from ig.auth.models import ApiToken, User
from ig.auth.rules import SYSTEM
from ig.cli import main
from ig.db import utcnow
from ig.demo import DEMO_USERS
from tests import factories
from tests.auth.helpers import actions, audit_mark

STRONG = "tangerine lorry whistle"


@pytest.fixture
def run(app, db):
    """Invoke an ig command against the test database; setup data is committed first.

    A failing command rolls its session back, which must not take the test's own
    records with it, so they are committed (into the test's outer transaction) first.
    """
    runner = app.test_cli_runner()

    def invoke(*args, stdin=None):
        db.commit()
        return runner.invoke(main, list(args), input=stdin)

    return invoke


def users_named(db, email):
    return db.scalar(select(func.count()).select_from(User).where(User.email == email))


def test_create_user_reads_the_password_from_stdin(run, db):
    result = run(
        "create-user", "New.Person@example.org", "--role", "staff", "--role", "manager",
        "--name", "New Person", stdin=STRONG + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Created user new.person@example.org" in result.output
    user = db.scalar(select(User).where(User.email == "new.person@example.org"))
    assert user.role_names == {"staff", "manager"}
    assert user.name == "New Person"
    assert PasswordHasher().verify(user.password_hash, STRONG)
    assert actions(db, user.id) == ["user.created"]


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["bad@example.org", "--role", "wizard"], STRONG, "Choose one or more roles"),
        (["bad@example.org", "--role", "staff"], "password1234", "harder to guess"),
        (["bad@example.org", "--role", "staff"], "", "12 characters or more"),
        (["not-an-email", "--role", "staff"], STRONG, "correct format"),
    ],
)
def test_create_user_refusals_exit_non_zero_and_write_nothing(run, db, args, password, message):
    mark = audit_mark(db)
    result = run("create-user", *args, stdin=password + "\n")
    assert result.exit_code == 1
    assert "Not created" in result.output
    assert message in result.output
    assert users_named(db, "bad@example.org") == 0
    assert actions(db, after=mark) == []


def test_create_user_refuses_a_duplicate_email(run, db):
    factories.make_user(db, email="taken@example.org", name="First Owner")
    result = run("create-user", "Taken@example.org", "--role", "staff", stdin=STRONG + "\n")
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert users_named(db, "taken@example.org") == 1
    assert db.scalar(select(User.name).where(User.email == "taken@example.org")) == "First Owner"


def test_create_user_needs_a_role(run):
    result = run("create-user", "x@example.org", stdin=STRONG + "\n")
    assert result.exit_code == 2
    assert "--role" in result.output


def test_create_token_prints_it_once_and_stores_a_hash(run, db):
    user = factories.make_user(db, email="lms@example.org")
    result = run("create-token", "LMS@example.org", "--name", "Learning system")
    assert result.exit_code == 0, result.output
    raw = result.output.strip().splitlines()[-1]
    assert raw.startswith(tokens.PREFIX)
    assert "will not be shown again" in result.output
    row = db.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert row.name == "Learning system"
    assert row.token_hash != raw
    assert tokens.find_user_by_token(db, raw, utcnow()).id == user.id


def token_count(db):
    return db.scalar(select(func.count()).select_from(ApiToken))


def test_create_token_for_an_unknown_user_fails(run, db):
    before = token_count(db)
    result = run("create-token", "nobody@example.org")
    assert result.exit_code == 1
    assert "No user with the e-mail address nobody@example.org" in result.output
    assert token_count(db) == before


def test_revoke_token(run, db):
    user = factories.make_user(db)
    token, raw = tokens.create_token(db, SYSTEM, user, "LMS", utcnow())
    token_id = token.id
    result = run("revoke-token", str(token_id))
    assert result.exit_code == 0, result.output
    assert f"Token {token_id} of {user.email} is revoked" in result.output
    assert tokens.find_user_by_token(db, raw, utcnow()) is None
    assert "api_token.revoked" in actions(db, token_id)


def test_revoke_an_unknown_token_fails(run):
    result = run("revoke-token", "424242")
    assert result.exit_code == 1
    assert "Not revoked: No such token" in result.output


def test_demo_log_ins_mark_everyone_who_sets_up_two_factor(run, db):
    """The README's promise: every demo log-in but staff is marked * (two-factor)."""
    for email, name, roles in DEMO_USERS:
        factories.make_user(db, email=email, name=name, roles=roles)
    result = run("demo", "--if-empty")
    assert result.exit_code == 0, result.output
    assert "the demo data was not loaded" in result.output
    lines = [line.split() for line in result.output.splitlines() if "@eastmere.example" in line]
    marked = {words[-1] for words in lines if words[-2] == "*"}
    assert marked == {roles[0] for _email, _name, roles in DEMO_USERS} - {"staff"}
    assert "* sets up two-factor authentication at first sign-in" in result.output
