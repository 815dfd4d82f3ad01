"""ig verify-audit also checks every signed Caldicott decision."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from ig.cli import main
from tests import factories
from tests.caldicott.conftest import assess, sign

pytestmark = pytest.mark.usefixtures("isolated")


@pytest.fixture
def run(app, db):
    runner = app.test_cli_runner()

    def invoke(*args):
        db.commit()  # a command's session must see (and not roll back) the set-up
        return runner.invoke(main, list(args))

    return invoke


@pytest.fixture
def signed(db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    assess(db, policy, people["ig_officer"][1], request)
    sign(db, policy, people["caldicott_guardian"], request)
    return request


def test_verify_audit_passes_when_decisions_are_intact(run, signed):
    result = run("verify-audit")
    assert result.exit_code == 0, result.output
    assert "Audit trail intact" in result.output


def test_verify_audit_detects_a_tampered_decision(run, db, signed):
    db.execute(text("update caldicott_decisions set signed_by_name = 'Someone else'"))
    result = run("verify-audit")
    assert result.exit_code == 1
    assert "Signed Caldicott decisions are NOT intact" in result.output
    assert f"{signed.reference} version 1" in result.output
