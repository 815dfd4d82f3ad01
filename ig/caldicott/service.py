"""Raising Caldicott requests, reading them and finding earlier decisions about a person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.caldicott import rules
from ig.caldicott.models import CaldicottRequest, CaldicottSubject, RequestStatus
from ig.caldicott.policy import CaldicottPolicy
from ig.crypto import get_keyring
from ig.errors import NotFound, PermissionDenied, ValidationFailed
from ig.people.models import Organisation

SUBJECT_INDEX = "caldicott_subjects.identifier"


@dataclass(frozen=True)
class NewRequest:
    """What a request records when it is raised."""

    received_on: dt.date
    requester_name: str
    requester_role: str
    organisation_id: int | None
    channel: str
    request_type: str
    urgency: str
    purpose: str
    information: str
    categories: tuple[str, ...]
    people_count: int
    includes_deceased: bool
    needed_by: dt.date
    case_details: str
    identifiers: tuple[str, ...]


def check_choice(field: str, value: str, choices: Mapping[str, str], what: str) -> None:
    if value not in choices:
        raise ValidationFailed(field, f"Select {what}")


def _check_new(session: Session, policy: CaldicottPolicy, data: NewRequest, today: dt.date) -> str:
    """Validate a new request; returns the requesting organisation's name."""
    check_choice("request_type", data.request_type, policy.request_types, "the type of request")
    check_choice("channel", data.channel, policy.channels, "how the request arrived")
    check_choice("urgency", data.urgency, policy.urgency, "how urgent the request is")
    if data.received_on > today:
        raise ValidationFailed("received_on", "The date received must be today or in the past")
    if data.needed_by < data.received_on:
        raise ValidationFailed("needed_by", "The decision cannot be needed before it was asked for")
    if data.people_count < 1:
        raise ValidationFailed("people_count", "Enter how many people, 1 or more")
    unknown = set(data.categories) - set(policy.data_categories)
    if unknown or not data.categories:
        raise ValidationFailed("categories", "Select the categories of information involved")
    for field in ("requester_name", "requester_role", "purpose", "information", "case_details"):
        if not getattr(data, field).strip():
            raise ValidationFailed(field, f"Enter the {field.replace('_', ' ')}")
    organisation = session.get(Organisation, data.organisation_id) if data.organisation_id else None
    if organisation is None:
        raise ValidationFailed("organisation_id", "Select the organisation asking")
    return organisation.name


def _next_serial(session: Session, year: int) -> int:
    last = session.scalar(
        select(func.max(CaldicottRequest.serial)).where(CaldicottRequest.year == year)
    )
    return (last or 0) + 1


def raise_request(
    session: Session, actor: Actor, policy: CaldicottPolicy, data: NewRequest, now: dt.datetime
) -> CaldicottRequest:
    """Record a new request, awaiting assessment; ValidationFailed on bad input."""
    if actor.user_id is None or not actor.can("caldicott.request"):
        raise PermissionDenied("You cannot raise a Caldicott request")
    organisation_name = _check_new(session, policy, data, now.date())
    year = data.received_on.year
    serial = _next_serial(session, year)
    request = CaldicottRequest(
        year=year,
        serial=serial,
        reference=rules.make_reference(policy.reference_prefix, year, serial),
        received_on=data.received_on,
        raised_by_id=actor.user_id,
        requester_name=data.requester_name.strip(),
        requester_role=data.requester_role.strip(),
        organisation_id=data.organisation_id,
        organisation_name=organisation_name,
        channel=data.channel,
        request_type=data.request_type,
        urgency=data.urgency,
        purpose=data.purpose.strip(),
        information=data.information.strip(),
        case_details=data.case_details.strip(),
        data_categories=",".join(data.categories),
        people_count=data.people_count,
        includes_deceased=data.includes_deceased,
        needed_by=data.needed_by,
        status=RequestStatus.AWAITING_ASSESSMENT,
    )
    request.subjects = [
        _subject(position, value) for position, value in enumerate(data.identifiers)
    ]
    session.add(request)
    session.flush()
    record(
        session,
        actor,
        "caldicott.requested",
        "caldicott_request",
        request.reference,
        {"type": data.request_type, "identifiers": len(data.identifiers)},
        at=now,
    )
    return request


def _subject(position: int, identifier: str) -> CaldicottSubject:
    value = identifier.strip()
    return CaldicottSubject(
        position=position,
        identifier=value,
        identifier_index=get_keyring().blind_index(value, SUBJECT_INDEX),
    )


def get_request(session: Session, actor: Actor, reference: str) -> CaldicottRequest:
    """The request with every version, subject and link; NotFound if absent or not theirs.

    People who may only raise requests see their own and nobody else's.
    """
    request = session.scalar(
        select(CaldicottRequest)
        .where(CaldicottRequest.reference == reference)
        .options(
            selectinload(CaldicottRequest.subjects),
            selectinload(CaldicottRequest.versions),
            selectinload(CaldicottRequest.links),
        )
    )
    if request is None or not (
        actor.can("caldicott.read") or request.raised_by_id == actor.user_id
    ):
        raise NotFound("No Caldicott request has that reference")
    return request


def record_detail_viewed(
    session: Session, actor: Actor, request: CaldicottRequest, now: dt.datetime, what: str = "page"
) -> None:
    """Audit that ``actor`` read the request's encrypted detail (the page or the record)."""
    record(
        session,
        actor,
        "caldicott.detail_viewed",
        "caldicott_request",
        request.reference,
        {"view": what},
        at=now,
    )


def earlier_decisions(session: Session, request: CaldicottRequest) -> list[CaldicottRequest]:
    """Other requests about any of the same people, found through the blind index."""
    indexes = [subject.identifier_index for subject in request.subjects]
    if not indexes:
        return []
    return list(
        session.scalars(
            select(CaldicottRequest)
            .where(
                CaldicottRequest.id != request.id,
                CaldicottRequest.id.in_(
                    select(CaldicottSubject.request_id).where(
                        CaldicottSubject.identifier_index.in_(indexes)
                    )
                ),
            )
            .order_by(CaldicottRequest.received_on.desc())
            .limit(50)
        )
    )


def find_by_identifier(
    session: Session, actor: Actor, identifier: str, now: dt.datetime
) -> list[CaldicottRequest]:
    """Requests about the person with this identifier (exact match, via the blind index)."""
    if not identifier.strip():
        raise ValidationFailed("identifier", "Enter an identifier, such as a case number")
    index = get_keyring().blind_index(identifier.strip(), SUBJECT_INDEX)
    record(session, actor, "caldicott.identifier_searched", at=now)
    return list(
        session.scalars(
            select(CaldicottRequest)
            .join(CaldicottSubject, CaldicottSubject.request_id == CaldicottRequest.id)
            .where(CaldicottSubject.identifier_index == index)
            .order_by(CaldicottRequest.received_on.desc())
            .distinct()
        )
    )


# For the reminder engine (ig/caldicott/reminders.py); this only builds a query.


def review_due_query() -> Select[int, str, dt.date | None]:
    """Decided requests with a review date (the Guardian reviews the decision by then).
    Columns: id, reference, review_on."""
    return select(
        CaldicottRequest.id, CaldicottRequest.reference, CaldicottRequest.review_on
    ).where(
        CaldicottRequest.status == RequestStatus.DECIDED, CaldicottRequest.review_on.is_not(None)
    )
