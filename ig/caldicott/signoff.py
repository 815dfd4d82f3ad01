"""Deciding and signing off: re-authentication, then sealing exactly what was signed."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.models import User
from ig.auth.rules import Actor
from ig.auth.service import verify_password
from ig.auth.totp import check_totp_code
from ig.caldicott import rules
from ig.caldicott.assessment import draft_of
from ig.caldicott.integrity import signed_content
from ig.caldicott.models import CaldicottDecision, CaldicottRequest, Outcome, RequestStatus
from ig.caldicott.policy import CaldicottPolicy
from ig.crypto import get_keyring
from ig.errors import EditConflict, InvalidTransition, PermissionDenied, ValidationFailed


class ReauthenticationFailed(ValidationFailed):
    """The signer's password or code was wrong; the failure is audited and kept."""


@dataclass(frozen=True)
class DecisionInput:
    """The Guardian's decision and the credential that confirms it is them."""

    outcome: str
    conditions: tuple[str, ...]
    reasons: str
    review_on: dt.date | None
    password: str = ""
    code: str = ""
    row_version: int | None = None


def _reauthenticate(
    session: Session, actor: Actor, signer: User, data: DecisionInput, now: dt.datetime
) -> str:
    """Confirm the signer again: the second factor where enrolled, else the password."""
    if signer.has_totp:
        method, field, ok = "totp", "code", check_totp_code(signer, data.code, now)
        message = "The code is not correct, or it has already been used. Enter the latest code"
    else:
        method, field, ok = "password", "password", verify_password(signer, data.password)
        message = "The password is not correct"
    if not ok:
        record(
            session,
            actor,
            "caldicott.reauthentication_failed",
            "user",
            signer.id,
            {"method": method},
            at=now,
        )
        session.flush()
        raise ReauthenticationFailed(field, message)
    return method


def _check_signable(
    actor: Actor, signer: User, request: CaldicottRequest, data: DecisionInput
) -> CaldicottDecision:
    if not actor.can("caldicott.decide") or signer.id != actor.user_id:
        raise PermissionDenied("Only the Caldicott Guardian or a deputy can sign a decision")
    draft = draft_of(request)
    if draft is None:
        raise InvalidTransition(
            "There is nothing to sign: the decision is already signed, or not yet assessed"
        )
    if not draft.is_assessed:
        raise InvalidTransition("The request must be assessed before it is decided")
    if data.row_version is not None and draft.version != data.row_version:
        raise EditConflict()
    return draft


def sign_decision(
    session: Session,
    actor: Actor,
    policy: CaldicottPolicy,
    request: CaldicottRequest,
    signer: User,
    data: DecisionInput,
    now: dt.datetime,
) -> CaldicottDecision:
    """Record the decision on the open version and sign it, sealing what was signed.

    Raises PermissionDenied unless the signer is a Guardian or deputy who did not raise
    the request, ValidationFailed for an incomplete decision, ReauthenticationFailed
    for a wrong password or code (the caller commits so the failure stays audited).
    """
    capacity = rules.check_may_sign(actor.user_id, actor.roles, request.raised_by_id)
    draft = _check_signable(actor, signer, request, data)
    rules.check_decision(
        data.outcome, list(data.conditions), data.reasons, data.review_on, now.date()
    )
    method = _reauthenticate(session, actor, signer, data, now)
    _record_decision(policy, request, draft, data, now)
    draft.signed_by_id = signer.id
    draft.signed_by_name = signer.name
    draft.signed_capacity = capacity
    draft.signed_at = now
    draft.reauth_method = method
    draft.policy_version = policy.version
    _seal(request, draft, now)
    session.flush()
    record(
        session,
        actor,
        "caldicott.signed",
        "caldicott_request",
        request.reference,
        {
            "version": draft.number,
            "capacity": capacity.value,
            "outcome": data.outcome,
            "digest": draft.digest,
        },
        at=now,
    )
    return draft


def _record_decision(
    policy: CaldicottPolicy,
    request: CaldicottRequest,
    draft: CaldicottDecision,
    data: DecisionInput,
    now: dt.datetime,
) -> None:
    """The decision on the draft; a continuing use gets the usual review date if none."""
    review_on = data.review_on
    if review_on is None and data.outcome != Outcome.DECLINED:
        review_on = rules.default_review_on(now.date(), request.request_type, policy.review_months)
    draft.outcome = Outcome(data.outcome)
    draft.conditions = json.dumps(list(data.conditions))
    draft.reasons = data.reasons.strip()
    draft.review_on = review_on


def _seal(request: CaldicottRequest, signed: CaldicottDecision, now: dt.datetime) -> None:
    """Digest and seal exactly what was signed."""
    # The log's decision facts first: the seal covers the first decision day and the
    # days to decision as well as the version.
    _mark_decided(request, signed, now)
    canonical = rules.canonical_json(signed_content(request, signed))
    signed.digest = rules.digest_of(canonical)
    signed.seal = rules.seal_of(get_keyring().audit_key, canonical)


def _mark_decided(request: CaldicottRequest, signed: CaldicottDecision, now: dt.datetime) -> None:
    request.status = RequestStatus.DECIDED
    request.outcome = signed.outcome
    request.decided_at = now
    request.review_on = signed.review_on
    request.signed_number = signed.number
    if request.first_decided_on is None:
        request.first_decided_on = now.date()
        request.days_to_decision = (now.date() - request.received_on).days
