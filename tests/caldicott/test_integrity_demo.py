"""The demo's decision log, made through the services, verifies clean."""

from __future__ import annotations

from ig.audit.service import verify_chain
from ig.caldicott.integrity import verify_signed_decisions
from ig.demo import load_demo


def test_the_demo_log_and_trail_verify(db, policies):
    assert load_demo(db, policies) is True
    db.flush()
    assert verify_chain(db).ok
    assert verify_signed_decisions(db) == []
