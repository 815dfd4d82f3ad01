"""Fixtures and helpers for the DPIA tests: actors, and DPIAs made through the services."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.audit.models import AuditEntry
from ig.auth.rules import Actor
from ig.dpia import service, signoff
from ig.dpia.policy import DpiaPolicy
from ig.dpia.service import DpiaInput, RiskInput
from tests.committing import client  # noqa: F401 - the committing client fixture
from tests.factories import make_user

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
OFFICER_PERMISSIONS = frozenset({"dpia.read", "dpia.manage"})
SIRO_PERMISSIONS = frozenset({"dpia.read", "dpia.sign_off"})
# Residual 3 x 3 = 9: high on the policy's grid; 1 x 2 = 2: low.
HIGH = RiskInput("Recordings overheard", 3, 3, "Headsets", 3, 3)
LOW = RiskInput("Summary wrong", 2, 2, "Checked by a person", 1, 2)


def actor(db: Session, role: str, permissions: frozenset[str]) -> Actor:
    user = make_user(db, roles=(role,))
    return Actor(user.id, user.email, frozenset({role}), permissions)


def officer(db: Session) -> Actor:
    return actor(db, "ig_officer", OFFICER_PERMISSIONS)


def siro(db: Session) -> Actor:
    return actor(db, "siro", SIRO_PERMISSIONS)


def make_dpia(
    db: Session,
    policy: DpiaPolicy,
    by: Actor,
    *,
    title: str = "AI transcription trial",
    risks: tuple[RiskInput, ...] = (),
    criteria: tuple[str, ...] = ("innovative_technology", "data_matching"),
    submit: bool = False,
    owner_id: int | None = None,
    now: dt.datetime = NOW,
) -> int:
    """A DPIA through the services: screened, with ``risks``; sent for sign-off if asked."""
    assert by.user_id is not None
    data = DpiaInput(title, "Recording visits for AI summaries", owner_id or by.user_id)
    dpia = service.create_dpia(db, by, data, now)
    service.screen_dpia(db, by, policy, dpia.id, list(criteria), dpia.version, now)
    for risk in risks:
        service.save_risk(db, by, policy, dpia.id, None, risk, dpia.version, now)
    if submit:
        advice = signoff.DpoAdvice("Proceed with care", now.date(), True)
        signoff.record_dpo_advice(db, by, dpia.id, advice, dpia.version, now)
        signoff.submit_for_sign_off(db, by, dpia.id, dpia.version, now)
    return dpia.id


def audit_actions(db: Session, dpia_id: int) -> list[str]:
    return list(
        db.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.record_type == "dpia", AuditEntry.record_id == str(dpia_id))
            .order_by(AuditEntry.seq)
        ).all()
    )
