"""The staff involved in an incident (with their training on the day) and the people
affected (encrypted, found again through the blind index)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.crypto import get_keyring
from ig.db import LONDON
from ig.errors import PermissionDenied, ValidationFailed
from ig.incidents.access import require_manage
from ig.incidents.involved_models import AffectedPerson, IncidentStaff
from ig.incidents.models import Incident
from ig.incidents.timeline import log_event
from ig.people.models import Staff
from ig.people.service import find_staff_by_number
from ig.training.service import get_training_status_on

IDENTIFIER_CONTEXT = "incident_affected_people.identifier"


def add_staff(
    session: Session, actor: Actor, incident: Incident, staff_number: str, now: dt.datetime
) -> None:
    """Link a member of staff involved; ValidationFailed if unknown or already linked."""
    require_manage(actor)
    staff = find_staff_by_number(session, staff_number.strip())
    if staff is None:
        raise ValidationFailed("staff_number", "There is no member of staff with that number")
    if any(link.staff_id == staff.id for link in incident.staff_links):
        raise ValidationFailed("staff_number", "That member of staff is already listed")
    incident.staff_links.append(IncidentStaff(staff_id=staff.id))
    session.flush()
    log_event(session, actor, incident, "staff_added", f"Staff involved: {staff.name}", now)


def add_affected_person(
    session: Session,
    actor: Actor,
    incident: Incident,
    identifier: str,
    name: str,
    note: str,
    now: dt.datetime,
) -> list[str]:
    """Record a person affected (encrypted); returns the references of earlier incidents
    that affected the same identifier, found through the blind index."""
    require_manage(actor)
    if not identifier.strip():
        raise ValidationFailed("identifier", "Enter the person's case number or identifier")
    earlier = find_incidents_affecting(session, actor, identifier, now)
    index = get_keyring().blind_index(identifier, IDENTIFIER_CONTEXT)
    incident.affected.append(
        AffectedPerson(
            identifier=identifier.strip(),
            identifier_index=index,
            name=name.strip() or None,
            note=note.strip() or None,
        )
    )
    session.flush()
    log_event(session, actor, incident, "person_added", "A person affected was recorded", now)
    return [ref for ref in earlier if ref != incident.reference]


def find_incidents_affecting(
    session: Session, actor: Actor, identifier: str, now: dt.datetime
) -> list[str]:
    """References of incidents that affected this identifier (exact match, blind index).

    The look-up itself is audited: it reveals whether a person was in a breach.
    """
    if not actor.can("incidents.read"):
        raise PermissionDenied("Only the IG team can look people up")
    index = get_keyring().blind_index(identifier, IDENTIFIER_CONTEXT)
    refs = session.scalars(
        select(Incident.reference)
        .join(AffectedPerson, AffectedPerson.incident_id == Incident.id)
        .where(AffectedPerson.identifier_index == index)
        .distinct()
        .order_by(Incident.reference)
    ).all()
    record(
        session,
        actor,
        "incident.person_looked_up",
        "incident",
        None,
        {"matches": len(refs)},
        at=now,
    )
    return list(refs)


@dataclass(frozen=True)
class Involved:
    """A member of staff involved, with their training status on the day of the incident."""

    staff: Staff
    training: list[Any]


def list_involved(session: Session, incident: Incident) -> list[Involved]:
    """The staff involved and, since the ICO asks, their training on the day it happened."""
    staff_ids = [link.staff_id for link in incident.staff_links]
    if not staff_ids:
        return []
    people = session.scalars(select(Staff).where(Staff.id.in_(staff_ids)).order_by(Staff.name))
    on_day = incident.occurred_at.astimezone(LONDON).date()
    status = get_training_status_on(session, staff_ids, on_day)
    return [Involved(person, status.get(person.id, [])) for person in people]
