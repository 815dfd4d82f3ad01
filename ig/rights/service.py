"""Logging an information rights request: by the team, or by any member of staff who
receives one. Each change writes its audit entry; bad input raises before any write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ig import bounds
from ig.audit.service import record
from ig.auth.rules import Actor
from ig.db import london_today
from ig.errors import PermissionDenied, ValidationFailed
from ig.rights.clock import check_received
from ig.rights.models import RequestStatus, RightsRequest
from ig.rights.policy import RightsPolicy
from ig.rights.records import CONTACT_CONTEXT, IDENTIFIER_CONTEXT, blind_index, sortable_due_on

# How a request can arrive: UK GDPR and FOIA set no required form (FOI must be in
# writing, which includes e-mail and social media; subject access may even be spoken).
CHANNELS: dict[str, str] = {
    "email": "E-mail",
    "letter": "Letter",
    "web_form": "Online form",
    "phone": "Telephone",
    "in_person": "In person",
    "social_media": "Social media",
}


@dataclass(frozen=True)
class RequestInput:
    """A request as received; representative and authority only when made on someone's
    behalf."""

    type_key: str
    received_on: dt.date | None
    channel: str
    requester_name: str
    requester_identifier: str
    requester_contact: str
    summary: str
    representative_name: str = ""
    authority: str = ""


def audit(
    session: Session,
    actor: Actor,
    action: str,
    item: RightsRequest,
    now: dt.datetime,
    **detail: object,
) -> None:
    record(session, actor, f"rights.{action}", "rights_request", item.id, detail, at=now)


def check_text(field: str, value: str, limit: int, required: str | None = None) -> str:
    """``value`` stripped; ValidationFailed if required and empty, too long or unstorable."""
    value = value.strip()
    if required and not value:
        raise ValidationFailed(field, required)
    problem = bounds.text_problem(value, limit)
    if problem:
        raise ValidationFailed(field, problem)
    return value


def _check_input(policy: RightsPolicy, data: RequestInput, today: dt.date) -> None:
    if data.type_key not in policy.types:
        raise ValidationFailed("type_key", "Choose the kind of request")
    if data.received_on is None:
        raise ValidationFailed("received_on", "Enter the date the request was received")
    problem = bounds.date_problem(data.received_on)
    if problem:
        raise ValidationFailed("received_on", problem)
    check_received(data.received_on, today)
    if data.channel not in CHANNELS:
        raise ValidationFailed("channel", "Choose how the request was received")
    if data.representative_name.strip() and not data.authority.strip():
        raise ValidationFailed(
            "authority",
            "Enter the authority to act for the person (for example, their signed consent)",
        )


def _new_request(data: RequestInput) -> RightsRequest:
    """A new open request from checked input, its free text checked and indexed."""
    identifier = check_text("requester_identifier", data.requester_identifier, bounds.IDENTIFIER)
    contact = check_text("requester_contact", data.requester_contact, bounds.SHORT_TEXT)
    return RightsRequest(
        type_key=data.type_key,
        status=RequestStatus.OPEN,
        received_on=data.received_on,
        channel=data.channel,
        requester_name=check_text(
            "requester_name", data.requester_name, bounds.NAME, "Enter the requester's name"
        ),
        requester_identifier=identifier,
        identifier_index=blind_index(identifier, IDENTIFIER_CONTEXT),
        requester_contact=contact,
        contact_index=blind_index(contact, CONTACT_CONTEXT),
        representative_name=check_text(
            "representative_name", data.representative_name, bounds.NAME
        ),
        authority=check_text("authority", data.authority, bounds.SHORT_TEXT),
        summary=check_text(
            "summary", data.summary, bounds.LONG_TEXT, "Enter what the person asked for"
        ),
        extension_months=0,
        extension_days=0,
        pauses=[],
    )


def log_request(
    session: Session, actor: Actor, policy: RightsPolicy, data: RequestInput, now: dt.datetime
) -> RightsRequest:
    """Record a request received, and its deadline under the policy.

    Raises PermissionDenied (no rights.log), ValidationFailed (type_key, received_on,
    channel, requester_name, requester_contact, summary, representative_name, authority).
    """
    if not actor.can("rights.log") or actor.user_id is None:
        raise PermissionDenied("You cannot log information rights requests")
    _check_input(policy, data, london_today(now))
    item = _new_request(data)
    item.policy_version = policy.version
    item.logged_by_user_id = actor.user_id
    item.logged_at = now
    item.due_on = sortable_due_on(item, policy)
    session.add(item)
    session.flush()
    audit(
        session,
        actor,
        "logged",
        item,
        now,
        type=item.type_key,
        received_on=item.received_on.isoformat(),
        due_on=item.due_on.isoformat(),
        on_behalf=bool(item.representative_name),
        policy_version=policy.version,
    )
    return item


def note_detail_viewed(
    session: Session, actor: Actor, item: RightsRequest, now: dt.datetime
) -> None:
    """Audit that the actor read who asked, and what (the design audits case detail read)."""
    audit(session, actor, "detail_viewed", item, now)
