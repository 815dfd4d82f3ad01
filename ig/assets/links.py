"""Links from an asset to the agreements, privacy notices and incidents about it.

Other features' records are found only through their service functions; the link
keeps the record's id (the database keeps it real) and the reference people know.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from ig import bounds
from ig.assets.models import LINK_TABLES, InformationAsset, links
from ig.audit.service import record
from ig.auth.rules import Actor
from ig.errors import NotFound, PermissionDenied, ValidationFailed
from ig.incidents.service import find_incident
from ig.notices.service import get_notice
from ig.sharing.service import find_agreement

KIND_LABELS = {
    "agreement": "Data-sharing agreement",
    "notice": "Privacy notice",
    "incident": "Incident",
}
HINTS = {
    "agreement": "No data-sharing agreement has that reference, like DSA-NCL-001",
    "notice": "No privacy notice has that number (the number in its address)",
    "incident": "No incident has that reference, like IG-2026-0001",
}


@dataclass(frozen=True)
class LinkView:
    """A linked record as the asset's page shows it."""

    kind: str
    label: str
    reference: str
    endpoint: str
    args: dict[str, Any]


def _resolve(session: Session, kind: str, reference: str) -> tuple[int, str]:
    """The linked record's id and reference; ValidationFailed if there is none."""
    text = reference.strip()
    target: Any = None
    if kind == "agreement":
        target = find_agreement(session, text)
    elif kind == "incident":
        target = find_incident(session, text)
    elif bounds.record_number(text):
        try:
            notice = get_notice(session, bounds.record_number(text))
            return notice.id, str(notice.id)
        except NotFound:
            target = None
    if target is None:
        raise ValidationFailed("reference", HINTS[kind])
    return target.id, target.reference


def link_record(
    session: Session,
    actor: Actor,
    asset: InformationAsset,
    kind: str,
    reference: str,
    now: dt.datetime,
) -> str:
    """Link an agreement, notice or incident to the asset; its reference.

    Raises PermissionDenied without assets.manage, ValidationFailed on a bad reference.
    """
    if not actor.can("assets.manage"):
        raise PermissionDenied("Only the IG team can link records to an asset")
    if kind not in LINK_TABLES:
        raise ValidationFailed("kind", "Choose an agreement, a privacy notice or an incident")
    problem = bounds.text_problem(reference, bounds.REFERENCE)
    if not reference.strip() or problem:
        raise ValidationFailed("reference", problem or "Enter the reference of the record")
    target_id, canonical = _resolve(session, kind, reference)
    table, column = links[kind], LINK_TABLES[kind][1]
    exists = session.scalar(
        select(table.c.asset_id).where(table.c.asset_id == asset.id, table.c[column] == target_id)
    )
    if exists is not None:
        raise ValidationFailed("reference", f"{canonical} is already linked")
    session.execute(
        insert(table).values(
            {"asset_id": asset.id, column: target_id, "reference": canonical, "linked_at": now}
        )
    )
    record(
        session,
        actor,
        "asset.linked",
        "information_asset",
        asset.id,
        {"kind": kind, "reference": canonical},
        at=now,
    )
    return canonical


def unlink_record(
    session: Session,
    actor: Actor,
    asset: InformationAsset,
    kind: str,
    reference: str,
    now: dt.datetime,
) -> None:
    """Remove a link; NotFound if the asset has no such link."""
    if not actor.can("assets.manage"):
        raise PermissionDenied("Only the IG team can unlink records from an asset")
    if kind not in LINK_TABLES:
        raise NotFound("There is no such link")
    table = links[kind]
    removed = session.execute(
        delete(table).where(table.c.asset_id == asset.id, table.c.reference == reference)
    )
    if not removed.rowcount:  # type: ignore[attr-defined]
        raise NotFound("There is no such link")
    record(
        session,
        actor,
        "asset.unlinked",
        "information_asset",
        asset.id,
        {"kind": kind, "reference": reference[: bounds.REFERENCE]},
        at=now,
    )


def link_views(session: Session, asset: InformationAsset) -> list[LinkView]:
    """The asset's links, by kind then reference, with the page each leads to."""
    views = []
    for kind, (_name, column, _target) in LINK_TABLES.items():
        table = links[kind]
        rows = session.execute(
            select(table.c[column], table.c.reference)
            .where(table.c.asset_id == asset.id)
            .order_by(table.c.reference)
        ).all()
        for target_id, reference in rows:
            endpoint, args = _page(kind, target_id, reference)
            views.append(LinkView(kind, KIND_LABELS[kind], reference, endpoint, args))
    return views


def _page(kind: str, target_id: int, reference: str) -> tuple[str, dict[str, Any]]:
    if kind == "agreement":
        return "sharing.agreements.show", {"agreement_id": target_id}
    if kind == "notice":
        return "notices.show", {"notice_id": target_id}
    return "incidents.show", {"ref": reference}
