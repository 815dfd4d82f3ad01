"""The other ig records that name a rights request's requester, for the response.

A subject access request is answered from every record that holds the person's data,
ig's own registers included. The requester's identifier is matched exactly, through
each register's own blind index (the incidents' people affected, the people Caldicott
requests are about), so no identifier is ever decrypted to look for it. Each register
is searched only for those allowed to read it, and each search is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.caldicott.service import find_by_identifier
from ig.errors import ValidationFailed
from ig.incidents.involved import find_incidents_affecting
from ig.rights.models import RightsRequest


@dataclass(frozen=True)
class Namesakes:
    """The references found in each register; None where the actor may not search it."""

    incidents: list[str] | None
    caldicott: list[str] | None

    @property
    def found(self) -> int:
        return len(self.incidents or []) + len(self.caldicott or [])


def find_records_naming(
    session: Session, actor: Actor, item: RightsRequest, now: dt.datetime
) -> Namesakes:
    """Search incidents and Caldicott requests for the requester's identifier.

    ValidationFailed if the request records no identifier to search by.
    """
    identifier = item.requester_identifier.strip()
    if not identifier:
        raise ValidationFailed(
            "requester_identifier",
            "This request records no identifier (such as a case number) to search by",
        )
    incidents = (
        find_incidents_affecting(session, actor, identifier, now)
        if actor.can("incidents.read")
        else None
    )
    caldicott = (
        [found.reference for found in find_by_identifier(session, actor, identifier, now)]
        if actor.can("caldicott.read")
        else None
    )
    found = Namesakes(incidents, caldicott)
    record(
        session,
        actor,
        "rights.records_searched",
        "rights_request",
        item.id,
        {"found": found.found},
        at=now,
    )
    return found
