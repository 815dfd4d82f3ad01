"""Links from a request to incidents (breach advice) and to data-sharing agreements.

Other features' records are found only through their service functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.caldicott.models import CaldicottLink, CaldicottRequest, LinkKind
from ig.errors import PermissionDenied, ValidationFailed
from ig.incidents.service import find_incident
from ig.sharing.service import find_agreement


@dataclass(frozen=True)
class LinkView:
    """A linked record as the decision page shows it."""

    label: str
    reference: str
    endpoint: str | None
    args: dict[str, Any]


def _resolve(session: Session, kind: LinkKind, reference: str) -> tuple[str, str, dict[str, Any]]:
    """The linked record's canonical reference, endpoint and its arguments; ValidationFailed."""
    if kind == LinkKind.INCIDENT:
        incident = find_incident(session, reference)
        if incident is None:
            raise ValidationFailed("reference", "No incident has that reference")
        return incident.reference, "incidents.show", {"ref": incident.reference}
    agreement = find_agreement(session, reference)
    if agreement is None:
        raise ValidationFailed("reference", "No data-sharing agreement has that reference")
    return agreement.reference, "sharing.agreements.show", {"agreement_id": agreement.id}


def link_record(
    session: Session,
    actor: Actor,
    request: CaldicottRequest,
    kind: str,
    reference: str,
    now: dt.datetime,
) -> CaldicottLink:
    """Link an incident or agreement to the request (not part of the signed record)."""
    if not actor.can("caldicott.assess"):
        raise PermissionDenied("Only the IG team or the Guardian can link records")
    if kind not in {k.value for k in LinkKind}:
        raise ValidationFailed("kind", "Choose an incident or an agreement")
    if not reference.strip():
        raise ValidationFailed("reference", "Enter the reference of the record to link")
    canonical, _endpoint, _args = _resolve(session, LinkKind(kind), reference)
    if any(link.kind == kind and link.reference == canonical for link in request.links):
        raise ValidationFailed("reference", f"{canonical} is already linked")
    link = CaldicottLink(
        kind=LinkKind(kind), reference=canonical, linked_by_id=actor.user_id, linked_at=now
    )
    request.links.append(link)
    session.flush()
    record(
        session,
        actor,
        "caldicott.linked",
        "caldicott_request",
        request.reference,
        {"kind": kind, "reference": canonical},
        at=now,
    )
    return link


def link_views(session: Session, request: CaldicottRequest) -> list[LinkView]:
    """The request's links with where each leads (None if the record has since gone)."""
    views = []
    for link in request.links:
        label = "Incident" if link.kind == LinkKind.INCIDENT else "Data-sharing agreement"
        try:
            _ref, endpoint, args = _resolve(session, link.kind, link.reference)
        except ValidationFailed:
            endpoint, args = None, {}
        views.append(LinkView(label, link.reference, endpoint, args))
    return views
