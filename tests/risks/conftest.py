"""Fixtures and a factory for the IG risk register tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.db import london_today
from ig.risks.policy import load_risks
from ig.risks.scoring import ReviewInput
from ig.risks.service import RiskInput, create_risk
from ig.settings import PROJECT_ROOT
from tests.committing import client  # noqa: F401 - the committing client fixture
from tests.factories import make_user

POLICY = load_risks(PROJECT_ROOT / "policies")
NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
MANAGE = Actor(None, "officer", frozenset(), frozenset({"risks.read", "risks.manage"}))


def risk_input(owner_user_id: int, **changes: Any) -> RiskInput:
    values: dict[str, Any] = {
        "title": "Personal data e-mailed to the wrong recipient",
        "category": "people",
        "owner_user_id": owner_user_id,
        "cause": "Address autocomplete",
        "effect": "Disclosure of care records",
        "controls": "Training",
        "target_likelihood": 2,
        "target_impact": 3,
    }
    return RiskInput(**(values | changes))


def make_risk(
    db: Session,
    owner: Any = None,
    likelihood: int = 4,
    impact: int = 3,
    now: dt.datetime = NOW,
    **changes: Any,
) -> Any:
    """A risk recorded at ``now`` with its first scoring; ``changes`` override RiskInput."""
    owner = owner or make_user(db, roles=("manager",))
    first = ReviewInput(london_today(now), likelihood, impact, "Risk recorded")
    return create_risk(db, MANAGE, POLICY, risk_input(owner.id, **changes), first, now)
