"""Decisions signed before the seal covered the decision's dates (format 1) still verify,
and the log's dates are still checked against them."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from ig.caldicott import integrity, rules
from ig.caldicott.integrity import signed_content, verify_signed_decisions
from tests import factories
from tests.caldicott.conftest import assess, sign


@pytest.fixture
def legacy(db, people, policy, monkeypatch):
    """A request signed under format 1, as databases made before format 2 hold them."""
    request = factories.make_caldicott_request(db, people["staff"][0])
    assess(db, policy, people["ig_officer"][1], request)
    with monkeypatch.context() as patch:
        patch.setattr(integrity, "FORMAT", 1)
        patch.setattr(integrity, "EARLIER_FORMATS", ())
        sign(db, policy, people["caldicott_guardian"], request)
    db.flush()
    db.expire_all()
    return request


def test_a_new_signature_covers_the_decision_dates(db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    assess(db, policy, people["ig_officer"][1], request)
    version = sign(db, policy, people["caldicott_guardian"], request)
    content = signed_content(request, version)
    assert content["format"] == 2
    assert content["decision"] == {"first_decided_on": "2026-05-06", "days_to_decision": 2}
    assert version.digest == rules.digest_of(rules.canonical_json(content))


def test_a_format_1_decision_still_verifies(db, legacy):
    assert verify_signed_decisions(db) == []


def test_a_format_1_decision_is_shown_as_it_was_signed(db, legacy):
    version = legacy.versions[0]
    content = signed_content(legacy, version)
    assert content["format"] == 1
    assert "decision" not in content
    assert rules.digest_of(rules.canonical_json(content)) == version.digest


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ("days_to_decision = 9", "days to decision"),
        ("first_decided_on = '2026-05-07'", "first decided day"),
    ],
)
def test_the_dates_of_a_format_1_decision_are_still_checked(db, legacy, change, named):
    db.execute(text(f"UPDATE caldicott_requests SET {change}"))
    db.expire_all()
    problems = verify_signed_decisions(db)
    assert any(named in p and legacy.reference in p for p in problems), problems


def test_a_format_2_digest_cannot_pass_as_format_1(db, people, policy):
    """Changing what only format 2 covers is named, not excused by the older format."""
    request = factories.make_caldicott_request(db, people["staff"][0])
    assess(db, policy, people["ig_officer"][1], request)
    sign(db, policy, people["caldicott_guardian"], request)
    db.execute(text("UPDATE caldicott_requests SET days_to_decision = 9"))
    db.expire_all()
    problems = verify_signed_decisions(db)
    assert any("no longer matches its digest" in p for p in problems), problems
