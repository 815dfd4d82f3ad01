"""Read-only API tokens: chosen with ig create-token --scope, read-write by default."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ig.auth import tokens
from ig.auth.models import ApiToken
from ig.auth.rules import SYSTEM
from ig.db import utcnow
from ig.errors import ValidationFailed
from tests import factories


@pytest.fixture
def run(app, db):
    runner = app.test_cli_runner()

    def invoke(*args):
        db.commit()
        from ig.cli import main

        return runner.invoke(main, list(args))

    return invoke


def test_the_command_makes_a_read_only_token_when_asked(run, db, client):
    user = factories.make_user(db, email="powerbi@example.org", roles=("auditor",))
    result = run("create-token", "powerbi@example.org", "--scope", "read-only")
    assert result.exit_code == 0, result.output
    assert "It is read-only." in result.output
    assert db.scalar(select(ApiToken.scope).where(ApiToken.user_id == user.id)) == "read-only"
    raw = result.output.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.head("/api/v1/me", headers=headers).status_code == 200
    assert client.delete("/api/v1/me", headers=headers).status_code == 405  # no such route
    refused = client.post("/api/v1/training/completions", json={}, headers=headers)
    assert refused.status_code == 403
    assert refused.json["title"] == "Read-only token"


def test_a_token_is_read_write_unless_asked(run, db):
    user = factories.make_user(db, email="lms@example.org")
    assert run("create-token", "lms@example.org").exit_code == 0
    assert db.scalar(select(ApiToken.scope).where(ApiToken.user_id == user.id)) == "read-write"
    assert run("create-token", "lms@example.org", "--scope", "admin").exit_code != 0


def test_a_scope_other_than_the_two_is_refused(db):
    user = factories.make_user(db)
    with pytest.raises(ValidationFailed, match="read-only or read-write"):
        tokens.create_token(db, SYSTEM, user, "x", utcnow(), scope="write-only")


def test_the_account_page_shows_each_tokens_scope(login_as, client, db):
    user = login_as("staff")
    tokens.create_token(db, SYSTEM, user, "Power BI", utcnow(), scope=tokens.READ_ONLY)
    tokens.create_token(db, SYSTEM, user, "Scripts", utcnow())
    db.commit()
    page = client.get("/account").get_data(as_text=True)
    assert page.count("Read only") == 1
    assert page.count("Read and write") == 1
