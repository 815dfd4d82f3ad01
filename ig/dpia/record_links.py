"""Links from a DPIA to the processing activities and information assets it assesses.

Activities and assets are found only through their features' lookup functions
(ig.processing.lookup, ig.assets.lookup); each link and its audit entry are written together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from ig import bounds
from ig.assets.lookup import PICKER as ASSET_PICKER
from ig.assets.lookup import asset_names, resolve_asset
from ig.audit.service import record
from ig.auth.rules import Actor
from ig.dpia.models import dpia_information_assets, dpia_processing_activities
from ig.dpia.service import get_dpia, require_manage
from ig.errors import NotFound, ValidationFailed
from ig.people import pickers
from ig.processing.lookup import PICKER as ACTIVITY_PICKER
from ig.processing.lookup import activity_names, resolve_activity


def _asset(session: Session, text: str, field: str) -> tuple[int, str]:
    asset = resolve_asset(session, text, field)
    return asset.id, asset.name


@dataclass(frozen=True)
class Kind:
    """What a DPIA links: its table and column, what it is called, how it is found."""

    name: str  # "activity" or "asset": the audit entry's action and the form's field
    noun: str
    table: Table
    column: str
    resolve: Callable[[Session, str, str], tuple[int, str]]
    names: Callable[[Session, list[int]], dict[int, str]]
    picker: pickers.Kind  # the autocomplete's search, which fills in the full name


ACTIVITY = Kind(
    "activity",
    "processing activity",
    dpia_processing_activities,
    "activity_id",
    resolve_activity,
    activity_names,
    ACTIVITY_PICKER,
)
ASSET = Kind(
    "asset",
    "information asset",
    dpia_information_assets,
    "asset_id",
    _asset,
    asset_names,
    ASSET_PICKER,
)


@dataclass(frozen=True)
class RecordLink:
    """A linked activity or asset as the DPIA page shows it: its number and name."""

    record_id: int
    name: str


def linked(session: Session, kind: Kind, dpia_id: int) -> list[RecordLink]:
    """The activities or assets linked to the DPIA, by name (two queries)."""
    column = kind.table.c[kind.column]
    ids = list(session.scalars(select(column).where(kind.table.c.dpia_id == dpia_id)))
    names = kind.names(session, ids)
    links = [RecordLink(i, names[i]) for i in ids if i in names]
    return sorted(links, key=lambda link: (link.name.lower(), link.record_id))


def link_record(
    session: Session, actor: Actor, kind: Kind, dpia_id: int, reference: str, now: dt.datetime
) -> RecordLink:
    """Link the activity or asset ``reference`` names (its number or full name).

    Raises PermissionDenied without dpia.manage, NotFound for no such DPIA, and
    ValidationFailed(kind.name, ...) when nothing or more than one has that reference or
    it is already linked; nothing is changed then.
    """
    require_manage(actor)
    dpia = get_dpia(session, dpia_id)
    problem = bounds.text_problem(reference, bounds.NAME)
    if problem or not reference.strip():
        raise ValidationFailed(kind.name, problem or f"Enter the {kind.noun}'s number or name")
    record_id, name = kind.resolve(session, reference, kind.name)
    column = kind.table.c[kind.column]
    exists = session.scalar(
        select(column).where(kind.table.c.dpia_id == dpia.id, column == record_id)
    )
    if exists is not None:
        raise ValidationFailed(kind.name, f"{name} is already linked to this DPIA")
    session.execute(
        insert(kind.table).values({"dpia_id": dpia.id, kind.column: record_id, "linked_at": now})
    )
    record(
        session, actor, f"dpia.{kind.name}_linked", "dpia", dpia.id, {kind.name: record_id}, at=now
    )
    return RecordLink(record_id, name)


def unlink_record(
    session: Session, actor: Actor, kind: Kind, dpia_id: int, record_id: int, now: dt.datetime
) -> None:
    """Remove the link. Raises PermissionDenied, NotFound (no such DPIA or link)."""
    require_manage(actor)
    dpia = get_dpia(session, dpia_id)
    removed = session.execute(
        delete(kind.table).where(
            kind.table.c.dpia_id == dpia.id, kind.table.c[kind.column] == record_id
        )
    )
    if not removed.rowcount:  # type: ignore[attr-defined]
        raise NotFound(f"That {kind.noun} is not linked to this DPIA")
    record(
        session,
        actor,
        f"dpia.{kind.name}_unlinked",
        "dpia",
        dpia.id,
        {kind.name: record_id},
        at=now,
    )
