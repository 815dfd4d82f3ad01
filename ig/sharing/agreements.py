"""Changing agreements: drafting, parties, signatures, renewal and termination."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.errors import EditConflict, InvalidTransition, NotFound, ValidationFailed
from ig.notices.policy import NoticesPolicy
from ig.notices.service import flag_notices_for_service
from ig.people.models import Organisation
from ig.sharing.models import (
    Agreement,
    AgreementCategory,
    AgreementParty,
    AgreementPurpose,
    DpiaOutcome,
    PartyRole,
)
from ig.sharing.policy import SharingPolicy
from ig.sharing.rules import check_dates, content_digest

REFERENCE = re.compile(r"^[A-Z0-9][A-Z0-9/_-]{2,39}$")


@dataclass(frozen=True)
class AgreementInput:
    """Everything the parties sign, as entered; the reference is fixed once created."""

    reference: str
    title: str
    purpose: str
    owner_id: int
    lawful_basis: str
    categories: tuple[str, ...]
    purposes: tuple[str, ...]
    starts_on: dt.date
    review_on: dt.date
    ends_on: dt.date | None = None
    special_condition: str | None = None
    statutory_gateway: str | None = None
    data_items: str = ""
    is_special_category: bool = False
    data_subjects: str = ""
    frequency: str = ""
    transfer_method: str = ""
    transfer_security: str = ""
    retention: str = ""
    rights_requests: str = ""
    breach_procedure: str = ""
    conditions: str = ""
    dpia_reference: str = ""
    dpia_outcome: DpiaOutcome | None = None
    dpia_on: dt.date | None = None
    service_key: str | None = None


SCALARS = tuple(
    f.name for f in dataclasses.fields(AgreementInput) if f.name not in ("categories", "purposes")
)
# The council service is the council's own bookkeeping, not part of what the parties sign.
SIGNED = tuple(name for name in SCALARS if name != "service_key")


def _validate(session: Session, policy: SharingPolicy, data: AgreementInput) -> None:
    if not data.title.strip():
        raise ValidationFailed("title", "Enter a title for the agreement")
    if not data.purpose.strip():
        raise ValidationFailed("purpose", "Describe the purpose of the sharing")
    if session.get(Organisation, data.owner_id) is None:
        raise ValidationFailed("owner_id", "Choose the lead organisation")
    _in(policy.lawful_bases, data.lawful_basis, "lawful_basis", "Choose the Art. 6 lawful basis")
    _in(policy.special_conditions, data.special_condition, "special_condition", None)
    _in(policy.statutory_gateways, data.statutory_gateway, "statutory_gateway", None)
    if not data.categories or not set(data.categories) <= set(policy.categories):
        raise ValidationFailed("categories", "Choose at least one kind of data from the list")
    if not data.purposes or not set(data.purposes) <= set(policy.purposes):
        raise ValidationFailed("purposes", "Choose at least one purpose from the list")
    special = sorted(set(data.categories) & policy.special_categories)
    if special and not data.is_special_category:
        names = ", ".join(policy.categories[key] for key in special)
        raise ValidationFailed(
            "is_special_category", f"{names}: special category or criminal offence data"
        )
    if data.is_special_category and not data.special_condition:
        # UK GDPR Art. 9(1) and Art. 10: such data needs a condition as well as a basis.
        raise ValidationFailed("special_condition", "Choose the Art. 9 or Art. 10 condition")
    check_dates(data.starts_on, data.review_on, data.ends_on)


def _check_service(notices: NoticesPolicy | None, service_key: str | None) -> None:
    if service_key and (notices is None or service_key not in notices.services):
        raise ValidationFailed("service_key", "Choose a service from the list")


def _flag_notice(
    session: Session, actor: Actor, notices: NoticesPolicy | None, agreement: Agreement
) -> None:
    """UK GDPR Arts. 13(1)(e) and 14(1)(e): a new recipient may make the service's privacy
    notice inaccurate, so its review is brought forward."""
    if agreement.service_key:
        flag_notices_for_service(
            session,
            actor,
            agreement.service_key,
            f"New data-sharing agreement {agreement.reference}",
            policy=notices,
        )


def _in(labels: object, key: str | None, field: str, required: str | None) -> None:
    if key is None or key == "":
        if required:
            raise ValidationFailed(field, required)
        return
    if key not in labels:  # type: ignore[operator]
        raise ValidationFailed(field, "Choose an option from the list")


def _apply(agreement: Agreement, data: AgreementInput) -> None:
    for name in SCALARS:
        if name != "reference":
            value = getattr(data, name)
            setattr(agreement, name, value.strip() if isinstance(value, str) else value)
    agreement.special_condition = data.special_condition or None
    agreement.statutory_gateway = data.statutory_gateway or None
    agreement.service_key = data.service_key or None
    agreement.category_rows = [
        AgreementCategory(category=key) for key in sorted(set(data.categories))
    ]
    agreement.purpose_rows = [AgreementPurpose(purpose=key) for key in sorted(set(data.purposes))]


def _digest(agreement: Agreement) -> str:
    content = {name: getattr(agreement, name) for name in SIGNED}
    content["revision"] = agreement.revision
    content["categories"] = agreement.categories
    content["purposes"] = agreement.purposes
    content["parties"] = sorted((p.organisation_id, p.role.value) for p in agreement.parties)
    return content_digest(content)


def refresh_digest(session: Session, actor: Actor, agreement: Agreement) -> None:
    """Recompute what is signed; a change to signed content asks every party again."""
    digest = _digest(agreement)
    if digest == agreement.content_digest:
        return
    agreement.content_digest = digest
    agreement.party_count = len(agreement.parties)
    if agreement.signed_count:
        agreement.signed_count = 0
        record(session, actor, "agreement.signatures_reset", "agreement", agreement.id or None)


def create_agreement(
    session: Session,
    actor: Actor,
    policy: SharingPolicy,
    data: AgreementInput,
    *,
    notices: NoticesPolicy | None = None,
) -> Agreement:
    """Draft a new agreement, its lead organisation a controller and its first party.

    ``notices`` lists the council's services; an agreement for one of them flags that
    service's privacy notices for review.
    """
    reference = data.reference.strip().upper()
    if not REFERENCE.match(reference):
        raise ValidationFailed("reference", "Enter a reference of 3 to 40 letters, digits, / or -")
    if session.scalar(select(Agreement.id).where(Agreement.reference == reference)):
        raise ValidationFailed("reference", f"An agreement with the reference {reference} exists")
    _validate(session, policy, data)
    _check_service(notices, data.service_key)
    agreement = Agreement(reference=reference, revision=1, content_digest="")
    _apply(agreement, data)
    agreement.parties = [AgreementParty(organisation_id=data.owner_id, role=PartyRole.CONTROLLER)]
    refresh_digest(session, actor, agreement)
    session.add(agreement)
    session.flush()
    record(session, actor, "agreement.created", "agreement", agreement.id, {"reference": reference})
    _flag_notice(session, actor, notices, agreement)
    return agreement


def successor_of(session: Session, agreement: Agreement) -> Agreement | None:
    """The renewal that replaced this version, if any."""
    return session.scalar(select(Agreement).where(Agreement.supersedes_id == agreement.id))


def refuse_if_closed(session: Session, agreement: Agreement, today: dt.date) -> None:
    if agreement.terminated_on is not None:
        raise InvalidTransition("This agreement was terminated: it can no longer be changed")
    if agreement.ends_on is not None and agreement.ends_on < today:
        raise InvalidTransition("This agreement has expired: renew it to make a new version")
    later = successor_of(session, agreement)
    if later is not None:
        raise InvalidTransition(f"This version was replaced by version {later.revision}")


def update_agreement(
    session: Session,
    actor: Actor,
    policy: SharingPolicy,
    agreement: Agreement,
    data: AgreementInput,
    expected_version: int,
    today: dt.date,
    *,
    notices: NoticesPolicy | None = None,
) -> Agreement:
    """Change the agreement's terms; if signed content changes every party signs again.

    Setting a service it did not have before flags that service's privacy notices.
    """
    if agreement.version != expected_version:
        raise EditConflict()
    refuse_if_closed(session, agreement, today)
    _validate(session, policy, data)
    _check_service(notices, data.service_key)
    previous_service = agreement.service_key
    _apply(agreement, data)
    if all(p.organisation_id != data.owner_id for p in agreement.parties):
        agreement.parties.append(
            AgreementParty(organisation_id=data.owner_id, role=PartyRole.CONTROLLER)
        )
    session.flush()
    refresh_digest(session, actor, agreement)
    session.flush()
    record(session, actor, "agreement.updated", "agreement", agreement.id)
    if agreement.service_key != previous_service:
        _flag_notice(session, actor, notices, agreement)
    return agreement


def add_party(
    session: Session,
    actor: Actor,
    agreement: Agreement,
    organisation_id: int,
    role: PartyRole,
    today: dt.date,
) -> AgreementParty:
    """Add an organisation as a party; every party then signs the new text."""
    refuse_if_closed(session, agreement, today)
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise ValidationFailed("organisation", "Choose an organisation from the register")
    if any(p.organisation_id == organisation_id for p in agreement.parties):
        raise ValidationFailed("organisation", f"{organisation.name} is already a party")
    party = AgreementParty(organisation_id=organisation_id, role=role, organisation=organisation)
    agreement.parties.append(party)
    session.flush()
    refresh_digest(session, actor, agreement)
    record(
        session,
        actor,
        "agreement.party_added",
        "agreement",
        agreement.id,
        {"organisation_id": organisation_id, "role": role.value},
    )
    return party


def remove_party(
    session: Session, actor: Actor, agreement: Agreement, party_id: int, today: dt.date
) -> None:
    """Remove a party other than the lead organisation."""
    refuse_if_closed(session, agreement, today)
    party = party_of(agreement, party_id)
    if party.organisation_id == agreement.owner_id:
        raise InvalidTransition("The lead organisation cannot be removed: change the lead first")
    agreement.parties.remove(party)
    session.flush()
    refresh_digest(session, actor, agreement)
    record(
        session,
        actor,
        "agreement.party_removed",
        "agreement",
        agreement.id,
        {"organisation_id": party.organisation_id},
    )


def party_of(agreement: Agreement, party_id: int) -> AgreementParty:
    for party in agreement.parties:
        if party.id == party_id:
            return party
    raise NotFound("That organisation is not a party to this agreement")
