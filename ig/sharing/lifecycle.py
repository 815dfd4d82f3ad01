"""Signing, renewing and terminating agreements: the steps after drafting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.errors import InvalidTransition, ValidationFailed
from ig.sharing.agreements import (
    SCALARS,
    party_of,
    refresh_digest,
    refuse_if_closed,
    successor_of,
)
from ig.sharing.models import Agreement, AgreementCategory, AgreementParty, AgreementPurpose
from ig.sharing.organisations import is_named_signatory
from ig.sharing.rules import SigningAs, check_dates, signing_capacity


@dataclass(frozen=True)
class SignatureInput:
    signatory_name: str
    signatory_title: str
    signed_on: dt.date
    evidence: str = ""


def sign_agreement(
    session: Session,
    actor: Actor,
    agreement: Agreement,
    party_id: int,
    data: SignatureInput,
    today: dt.date,
    now: dt.datetime,
) -> AgreementParty:
    """Record a party's signature of the current text (bound to its digest).

    The party's named signatory signs in person; an IG officer may record another
    party's signature with evidence of it. PermissionDenied otherwise.
    """
    refuse_if_closed(session, agreement, today)
    party = party_of(agreement, party_id)
    capacity = signing_capacity(
        actor, is_named_signatory(session, actor.user_id, party.organisation_id)
    )
    if party.has_signed:
        raise InvalidTransition(f"{party.organisation.name} has already signed this version")
    _check_signature(data, capacity, today)
    party.signatory_name = data.signatory_name.strip()
    party.signatory_title = data.signatory_title.strip()
    party.signed_on = data.signed_on
    party.signed_digest = agreement.content_digest
    party.signed_by_id = actor.user_id
    party.signed_at = now
    party.evidence = data.evidence.strip()
    agreement.signed_count += 1
    session.flush()
    record(
        session,
        actor,
        "agreement.signed",
        "agreement",
        agreement.id,
        {
            "organisation_id": party.organisation_id,
            "as": capacity.value,
            "digest": agreement.content_digest,
        },
    )
    return party


def _check_signature(data: SignatureInput, capacity: SigningAs, today: dt.date) -> None:
    """Who signed and when; for a signature recorded on another's behalf, its evidence."""
    if not data.signatory_name.strip() or not data.signatory_title.strip():
        raise ValidationFailed("signatory_name", "Enter the name and job title of who signed")
    if data.signed_on > today:
        raise ValidationFailed("signed_on", "The date signed must be today or in the past")
    if capacity is SigningAs.ON_BEHALF and not data.evidence.strip():
        raise ValidationFailed(
            "evidence", "Say where the signed copy is, such as the e-mail it came in"
        )


def renew_agreement(
    session: Session,
    actor: Actor,
    agreement: Agreement,
    starts_on: dt.date,
    review_on: dt.date,
    ends_on: dt.date | None,
) -> Agreement:
    """Make the next version with new dates, unsigned; the old version is kept as it was."""
    if agreement.terminated_on is not None:
        raise InvalidTransition("A terminated agreement cannot be renewed")
    later = successor_of(session, agreement)
    if later is not None:
        raise InvalidTransition(f"This version was already renewed as version {later.revision}")
    check_dates(starts_on, review_on, ends_on)
    renewal = Agreement(
        reference=agreement.reference,
        revision=agreement.revision + 1,
        supersedes_id=agreement.id,
        content_digest="",
    )
    for name in SCALARS:
        if name != "reference":
            setattr(renewal, name, getattr(agreement, name))
    renewal.starts_on, renewal.review_on, renewal.ends_on = starts_on, review_on, ends_on
    renewal.category_rows = [AgreementCategory(category=key) for key in agreement.categories]
    renewal.purpose_rows = [AgreementPurpose(purpose=key) for key in agreement.purposes]
    renewal.parties = [
        AgreementParty(organisation_id=p.organisation_id, role=p.role) for p in agreement.parties
    ]
    refresh_digest(session, actor, renewal)
    session.add(renewal)
    session.flush()
    record(
        session,
        actor,
        "agreement.renewed",
        "agreement",
        renewal.id,
        {"reference": renewal.reference, "replaces": agreement.id},
    )
    return renewal


def terminate_agreement(
    session: Session, actor: Actor, agreement: Agreement, on: dt.date, reason: str, today: dt.date
) -> Agreement:
    """End the agreement early, with the reason; sharing under it stops."""
    if agreement.terminated_on is not None:
        raise InvalidTransition("This agreement is already terminated")
    if on > today:
        raise ValidationFailed("terminated_on", "The termination date must be today or in the past")
    if on < agreement.starts_on:
        raise ValidationFailed("terminated_on", "The termination date must be after the start date")
    if not reason.strip():
        raise ValidationFailed("reason", "Give the reason for terminating the agreement")
    agreement.terminated_on = on
    agreement.termination_reason = reason.strip()
    session.flush()
    record(session, actor, "agreement.terminated", "agreement", agreement.id)
    return agreement
