"""The way to sign-off: the DPO's advice, submission, the ICO's prior consultation, the
sign-off itself and the reviews after it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.db import check_version
from ig.dpia import rules
from ig.dpia.models import Dpia, IcoDecision, Status
from ig.dpia.policy import DpiaPolicy
from ig.dpia.service import get_dpia, require_manage, require_open
from ig.errors import InvalidTransition, PermissionDenied, ValidationFailed


@dataclass(frozen=True)
class DpoAdvice:
    advice: str
    given_on: dt.date | None
    is_followed: bool
    reason_not_followed: str = ""


@dataclass(frozen=True)
class IcoConsultation:
    decision: IcoDecision
    consulted_on: dt.date | None
    reference: str
    notes: str


def record_dpo_advice(
    session: Session,
    actor: Actor,
    dpia_id: int,
    data: DpoAdvice,
    expected_version: int | None,
    now: dt.datetime,
) -> Dpia:
    """Record the DPO's advice (Art. 35(2)) and whether it was followed.

    Advice not followed needs the reason (ICO DPIA template: "if overruled, you must
    explain your reasons"). Raises NotFound, PermissionDenied, EditConflict,
    InvalidTransition, ValidationFailed.
    """
    require_manage(actor)
    dpia = get_dpia(session, dpia_id)
    check_version(dpia, expected_version)
    require_open(dpia)
    if not data.advice.strip():
        raise ValidationFailed("advice", "Enter the DPO's advice")
    if data.given_on is None:
        raise ValidationFailed("given_on", "Enter the date of the advice, like 1 4 2026")
    if data.given_on > now.date():
        raise ValidationFailed("given_on", "The date of the advice must be today or in the past")
    if not data.is_followed and not data.reason_not_followed.strip():
        raise ValidationFailed(
            "reason_not_followed", "Give the reason the DPO's advice was not followed"
        )
    dpia.dpo_advice, dpia.dpo_advice_on = data.advice.strip(), data.given_on
    dpia.is_dpo_advice_followed = data.is_followed
    dpia.dpo_not_followed_reason = "" if data.is_followed else data.reason_not_followed.strip()
    session.flush()
    record(
        session, actor, "dpia.dpo_advice", "dpia", dpia.id, {"followed": data.is_followed}, at=now
    )
    return dpia


def submit_for_sign_off(
    session: Session, actor: Actor, dpia_id: int, expected_version: int | None, now: dt.datetime
) -> Dpia:
    """Send an assessed DPIA to be signed off: it needs its risks and the DPO's advice."""
    require_manage(actor)
    dpia = get_dpia(session, dpia_id)
    check_version(dpia, expected_version)
    if dpia.status is not Status.IN_ASSESSMENT:
        raise InvalidTransition("Only a DPIA in assessment can be sent for sign-off")
    if not dpia.risks:
        raise InvalidTransition("Assess at least one risk before sending it for sign-off")
    if dpia.dpo_advice_on is None:
        raise InvalidTransition("Record the DPO's advice before sending it for sign-off")
    dpia.status = Status.AWAITING_SIGN_OFF
    session.flush()
    record(session, actor, "dpia.submitted", "dpia", dpia.id, at=now)
    return dpia


def record_ico_consultation(
    session: Session,
    actor: Actor,
    dpia_id: int,
    data: IcoConsultation,
    expected_version: int | None,
    now: dt.datetime,
) -> Dpia:
    """Record the prior-consultation decision (UK GDPR Art. 36): the date the ICO was
    consulted and its reference, or the decision not to and why.

    The IG team or a signer may record it. Raises NotFound, PermissionDenied,
    EditConflict, InvalidTransition, ValidationFailed.
    """
    if not (actor.can("dpia.manage") or actor.can("dpia.sign_off")):
        raise PermissionDenied("Only the IG team or a signer can record the ICO consultation")
    dpia = get_dpia(session, dpia_id)
    check_version(dpia, expected_version)
    require_open(dpia)
    if data.decision is IcoDecision.CONSULTED:
        if data.consulted_on is None:
            raise ValidationFailed("consulted_on", "Enter the date the ICO was consulted")
        if data.consulted_on > now.date():
            raise ValidationFailed("consulted_on", "The date must be today or in the past")
        if not data.reference.strip():
            raise ValidationFailed("reference", "Enter the ICO's reference for the consultation")
    elif not data.notes.strip():
        raise ValidationFailed("notes", "Give the reason the ICO was not consulted")
    consulted = data.decision is IcoDecision.CONSULTED
    dpia.ico_decision = data.decision
    dpia.ico_consulted_on = data.consulted_on if consulted else None
    dpia.ico_reference = data.reference.strip() if consulted else ""
    dpia.ico_notes = data.notes.strip()
    session.flush()
    detail = {"decision": data.decision.value, "reference": dpia.ico_reference}
    record(session, actor, "dpia.ico_consultation", "dpia", dpia.id, detail, at=now)
    return dpia


def can_sign_off(actor: Actor, dpia: Dpia) -> bool:
    """A signer who did not write the DPIA (segregation of duties)."""
    return actor.can("dpia.sign_off") and actor.user_id != dpia.author_user_id


def sign_off_dpia(
    session: Session,
    actor: Actor,
    policy: DpiaPolicy,
    dpia_id: int,
    expected_version: int | None,
    now: dt.datetime,
) -> Dpia:
    """Sign off a DPIA awaiting sign-off; its first review falls one interval on.

    UK GDPR Art. 36(1): where the highest residual risk is high, the ICO must be
    consulted before the processing starts, so the decision must be on record first.
    Raises NotFound, PermissionDenied, EditConflict, InvalidTransition, ValidationFailed.
    """
    dpia = get_dpia(session, dpia_id)
    if not actor.can("dpia.sign_off"):
        raise PermissionDenied("Only the SIRO can sign off a DPIA")
    if actor.user_id == dpia.author_user_id:
        raise PermissionDenied("The DPIA's author cannot sign it off: ask another signer")
    check_version(dpia, expected_version)
    if dpia.status is not Status.AWAITING_SIGN_OFF:
        raise InvalidTransition("Only a DPIA awaiting sign-off can be signed off")
    if rules.needs_ico_consultation(dpia.max_residual_score, policy) and dpia.ico_decision is None:
        raise ValidationFailed(
            "ico",
            "This DPIA's highest residual risk is high, so it cannot be signed off until the "
            "ICO prior-consultation decision is recorded (UK GDPR Art. 36): record the date "
            "the ICO was consulted and its reference, or the decision not to and the reason",
        )
    dpia.status = Status.SIGNED_OFF
    dpia.signed_off_by_user_id, dpia.signed_off_at = actor.user_id, now
    dpia.review_on = rules.add_months(now.date(), policy.review_interval_months)
    session.flush()
    detail = {"residual": dpia.max_residual_score, "policy_version": policy.version}
    record(session, actor, "dpia.signed_off", "dpia", dpia.id, detail, at=now)
    return dpia


def record_review(
    session: Session,
    actor: Actor,
    policy: DpiaPolicy,
    dpia_id: int,
    reviewed_on: dt.date | None,
    expected_version: int | None,
    now: dt.datetime,
) -> Dpia:
    """Record a review of a signed-off DPIA that found it still right; the next falls one
    interval on. (A change to the processing means a new DPIA.)"""
    require_manage(actor)
    dpia = get_dpia(session, dpia_id)
    check_version(dpia, expected_version)
    if dpia.status is not Status.SIGNED_OFF:
        raise InvalidTransition("Only a signed-off DPIA is reviewed")
    if reviewed_on is None:
        raise ValidationFailed("reviewed_on", "Enter the date of the review, like 1 4 2026")
    if reviewed_on > now.date():
        raise ValidationFailed("reviewed_on", "The review date must be today or in the past")
    if dpia.signed_off_at and reviewed_on < dpia.signed_off_at.date():
        raise ValidationFailed("reviewed_on", "The review date must be after the sign-off")
    dpia.last_reviewed_on = reviewed_on
    dpia.review_on = rules.add_months(reviewed_on, policy.review_interval_months)
    session.flush()
    detail = {"next_review": dpia.review_on.isoformat()}
    record(session, actor, "dpia.reviewed", "dpia", dpia.id, detail, at=now)
    return dpia
