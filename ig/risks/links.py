"""Links from a risk to the incidents, DPIAs and information assets that bear on it.

Other features' records are found only through their service and look-up functions
(pyproject.toml's import contract names each); the link keeps the record's id (the
database keeps it real) and the reference people know it by.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from ig import bounds
from ig.assets.lookup import asset_names, resolve_asset
from ig.audit.service import record
from ig.auth.rules import Actor
from ig.dpia.service import get_dpia
from ig.errors import NotFound, ValidationFailed
from ig.incidents.service import find_incident
from ig.risks.models import LINK_TABLES, Risk, links
from ig.risks.service import require_manage, require_open

KIND_LABELS = {"incident": "Incident", "dpia": "DPIA", "asset": "Information asset"}


@dataclass(frozen=True)
class LinkView:
    """A linked record as the risk's page shows it."""

    kind: str
    label: str
    reference: str
    text: str
    endpoint: str
    args: dict[str, Any]


def _resolve(session: Session, kind: str, reference: str) -> tuple[int, str]:
    """The linked record's id and the reference kept for it; ValidationFailed if none."""
    text = reference.strip()
    if kind == "incident":
        incident = find_incident(session, text)
        if incident is None:
            raise ValidationFailed("reference", "No incident has that reference, like IG-2026-0001")
        return incident.id, incident.reference
    if kind == "asset":
        asset = resolve_asset(session, text, "reference")
        return asset.id, str(asset.id)
    number = bounds.record_number(text.upper().removeprefix("DPIA").strip(" #-"))
    try:
        dpia = get_dpia(session, number) if number else None
    except NotFound:
        dpia = None
    if dpia is None:
        raise ValidationFailed("reference", "No DPIA has that number (the number in its address)")
    return dpia.id, str(dpia.id)


def link_record(
    session: Session, actor: Actor, risk: Risk, kind: str, reference: str, now: dt.datetime
) -> str:
    """Link an incident, DPIA or information asset to an open risk; the reference kept.

    Raises PermissionDenied without risks.manage, InvalidTransition (closed),
    ValidationFailed on a bad kind or reference or one already linked.
    """
    require_manage(actor)
    require_open(risk)
    if kind not in LINK_TABLES:
        raise ValidationFailed("kind", "Choose an incident, a DPIA or an information asset")
    problem = bounds.text_problem(reference, bounds.NAME)  # an asset may be typed by name
    if not reference.strip() or problem:
        raise ValidationFailed("reference", problem or "Enter the record's reference or number")
    target_id, kept = _resolve(session, kind, reference)
    table, column = links[kind], LINK_TABLES[kind][1]
    exists = session.scalar(
        select(table.c.risk_id).where(table.c.risk_id == risk.id, table.c[column] == target_id)
    )
    if exists is not None:
        raise ValidationFailed("reference", f"That {KIND_LABELS[kind].lower()} is already linked")
    session.execute(
        insert(table).values(
            {"risk_id": risk.id, column: target_id, "reference": kept, "linked_at": now}
        )
    )
    record(
        session, actor, "risk.linked", "risk", risk.id, {"kind": kind, "reference": kept}, at=now
    )
    return kept


def unlink_record(
    session: Session, actor: Actor, risk: Risk, kind: str, reference: str, now: dt.datetime
) -> None:
    """Remove a link; NotFound if the risk has no such link."""
    require_manage(actor)
    if kind not in LINK_TABLES:
        raise NotFound("There is no such link")
    table = links[kind]
    removed = session.execute(
        delete(table).where(table.c.risk_id == risk.id, table.c.reference == reference)
    )
    if not removed.rowcount:  # type: ignore[attr-defined]
        raise NotFound("There is no such link")
    detail = {"kind": kind, "reference": reference[: bounds.REFERENCE]}
    record(session, actor, "risk.unlinked", "risk", risk.id, detail, at=now)


def link_views(session: Session, risk: Risk) -> list[LinkView]:
    """The risk's links, by kind then reference, with the page each leads to."""
    found: list[tuple[str, int, str]] = []
    for kind, (_name, column, _target) in LINK_TABLES.items():
        table = links[kind]
        rows = session.execute(
            select(table.c[column], table.c.reference)
            .where(table.c.risk_id == risk.id)
            .order_by(table.c.reference)
        ).all()
        found += [(kind, target_id, reference) for target_id, reference in rows]
    names = asset_names(session, [target for kind, target, _r in found if kind == "asset"])
    views = []
    args: dict[str, Any]
    for kind, target_id, reference in found:
        if kind == "incident":
            text, endpoint, args = reference, "incidents.show", {"ref": reference}
        elif kind == "dpia":
            text, endpoint, args = f"DPIA {target_id}", "dpia.show", {"dpia_id": target_id}
        else:
            text = names.get(target_id, reference)
            endpoint, args = "assets.show", {"asset_id": target_id}
        views.append(LinkView(kind, KIND_LABELS[kind], reference, text, endpoint, args))
    return views
