"""Helpers for the decision-log tests: actors, an assessment, a signed decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from ig.auth.models import User
from ig.auth.rules import Actor
from ig.auth.service import actor_for
from ig.caldicott.assessment import AssessmentInput, Consultation, save_assessment
from ig.caldicott.models import CaldicottRequest
from ig.caldicott.policy import CaldicottPolicy
from ig.caldicott.signoff import DecisionInput, sign_decision
from ig.policies import Policies
from tests import factories
from tests.committing import commit_before_requests

NOW = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=2)


@pytest.fixture
def policy(policies: Policies) -> CaldicottPolicy:
    return policies.caldicott


@pytest.fixture
def people(db: Session, policies: Policies) -> dict[str, tuple[User, Actor]]:
    """One user per role that matters here, with their actors."""
    found = {}
    for role in (
        "staff",
        "ig_officer",
        "caldicott_guardian",
        "deputy_caldicott_guardian",
        "siro",
        "auditor",
        "manager",
        "administrator",
    ):
        user = factories.make_user(db, roles=(role,))
        found[role] = (user, actor_for(user, policies))
    return found


def assessment(policy: CaldicottPolicy, **changes: Any) -> AssessmentInput:
    values: dict[str, Any] = {
        "article6": "e_public_task",
        "article9": "not_applicable",
        "article10": "crime_prevention",
        "confidentiality_basis": "statutory_gateway",
        "legal_basis_note": "Crime and Disorder Act 1998 s. 115",
        "principle_notes": {p.key: f"Met: note {p.number}" for p in policy.principles},
        "consultations": (Consultation("Legal services", "The gateway applies"),),
        "recommended_outcome": "approved_with_conditions",
        "recommendation": "Disclose the contact history only",
        **changes,
    }
    return AssessmentInput(**values)


def decision(**changes: Any) -> DecisionInput:
    values: dict[str, Any] = {
        "outcome": "approved_with_conditions",
        "conditions": ("Contact history only", "Delete after the trial"),
        "reasons": "Necessary and proportionate for the investigation",
        "review_on": None,
        "password": factories.PASSWORD,
        **changes,
    }
    return DecisionInput(**values)


def assess(
    db: Session, policy: CaldicottPolicy, actor: Actor, request: CaldicottRequest, **changes: Any
) -> Any:
    return save_assessment(db, actor, policy, request, assessment(policy, **changes), NOW)


def sign(
    db: Session,
    policy: CaldicottPolicy,
    signer: tuple[User, Actor],
    request: CaldicottRequest,
    now: dt.datetime = LATER,
    **changes: Any,
) -> Any:
    user, actor = signer
    return sign_decision(db, actor, policy, request, user, decision(**changes), now)


@pytest.fixture
def isolated(db: Session) -> None:
    """Open SQLite's transaction for real before the session's first SAVEPOINT.

    pysqlite begins a transaction only before the first INSERT, UPDATE or DELETE, so
    otherwise the session's SAVEPOINT becomes the outermost transaction and a view's
    commit really commits, leaking rows into later tests. A no-op DELETE opens it.
    """
    connection = db.get_bind()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("DELETE FROM caldicott_links WHERE 1 = 0")  # type: ignore[attr-defined]


@pytest.fixture
def client(client: Any, db: Session, isolated: None) -> Any:
    """The test client, committing the test's own set-up before each request."""
    return commit_before_requests(client, db)
