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
from ig.incidents.service import find_incident, list_references
from ig.sharing.service import find_agreement, find_agreement_ids

AGREEMENT_PAGE = "sharing.agreements.show"  # the sharing blueprint's agreements pages


@dataclass(frozen=True)
class LinkView:
    """A linked record as the decision page shows it."""

    label: str
    reference: str
    endpoint: str | None
    args: dict[str, Any]


def _canonical(session: Session, kind: LinkKind, reference: str) -> str:
    """The linked record's reference as it is stored; ValidationFailed if there is none."""
    if kind == LinkKind.INCIDENT:
        incident = find_incident(session, reference)
        if incident is None:
            raise ValidationFailed("reference", "No incident has that reference")
        return incident.reference
    agreement = find_agreement(session, reference)
    if agreement is None:
        raise ValidationFailed("reference", "No data-sharing agreement has that reference")
    return agreement.reference


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
    canonical = _canonical(session, LinkKind(kind), reference)
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
    """The request's links with where each leads (None if the record has since gone).

    One query for each kind of record linked, however many links there are.
    """
    by_kind: dict[LinkKind, list[str]] = {kind: [] for kind in LinkKind}
    for link in request.links:
        by_kind[link.kind].append(link.reference)
    incidents = list_references(session, by_kind[LinkKind.INCIDENT])
    agreements = find_agreement_ids(session, by_kind[LinkKind.AGREEMENT])
    return [_view(link, incidents, agreements) for link in request.links]


def _view(link: CaldicottLink, incidents: set[str], agreements: dict[str, int]) -> LinkView:
    """The link as the page shows it, leading nowhere if its record was not found."""
    if link.kind == LinkKind.INCIDENT:
        if link.reference not in incidents:
            return LinkView("Incident", link.reference, None, {})
        return LinkView("Incident", link.reference, "incidents.show", {"ref": link.reference})
    agreement_id = agreements.get(link.reference)
    if agreement_id is None:
        return LinkView("Data-sharing agreement", link.reference, None, {})
    args = {"agreement_id": agreement_id}
    return LinkView("Data-sharing agreement", link.reference, AGREEMENT_PAGE, args)
