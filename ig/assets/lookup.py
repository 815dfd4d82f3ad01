"""What the other registers read of the information assets: an asset picked by name,
one typed by number or name, the assets a person keeps, names by id, and where assets
keep their data and the incidents that involved them (for the record of processing).

Contracts, processing activities and access requests link assets; they reach them
through these functions only (pyproject.toml's import contract says so).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, lazyload, undefer

from ig import bounds
from ig.assets.models import InformationAsset, links
from ig.assets.rules import HOSTING_LABELS
from ig.errors import ValidationFailed
from ig.people import pickers

# For the access feature: assets are picked by name, never listed whole.
PICKER = pickers.Kind(
    "information asset",
    InformationAsset.id.expression,
    InformationAsset.name.expression,
    (InformationAsset.name.expression,),
)


def kept_asset_ids(session: Session, user_id: int | None) -> list[int]:
    """The ids of the assets ``user_id`` owns or administers (two index look-ups).

    A list, not a subquery: given the few ids, PostgreSQL probes the access requests'
    (asset, status) index for each; given a subquery, it scanned every request."""
    if user_id is None:
        return []
    query = select(InformationAsset.id).where(
        (InformationAsset.owner_user_id == user_id)
        | (InformationAsset.administrator_user_id == user_id)
    )
    return list(session.scalars(query))


def resolve_asset(session: Session, text: str, field: str) -> InformationAsset:
    """The asset a person typed: its number, or its full name if that is unique.

    Raises ValidationFailed(field, ...) saying how to pick the right one.
    """
    value = text.strip()
    number = bounds.record_number(value)
    by_number = session.get(InformationAsset, number) if number else None
    if by_number is not None:
        return by_number
    matches = session.scalars(
        select(InformationAsset).where(func.lower(InformationAsset.name) == value.lower()).limit(2)
    ).all()
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ValidationFailed(field, f"More than one asset is called {value}: enter its number")
    raise ValidationFailed(
        field, f"No information asset is called {value[:80]}: check the register"
    )


def asset_names(session: Session, asset_ids: Iterable[int]) -> dict[int, str]:
    """The names of the assets with these ids, in one query (for other features' lists)."""
    wanted = set(asset_ids)
    if not wanted:
        return {}
    query = select(InformationAsset.id, InformationAsset.name).where(
        InformationAsset.id.in_(wanted)
    )
    return {row.id: row.name for row in session.execute(query)}


@dataclass(frozen=True)
class AssetPlace:
    """Where an asset keeps its personal data."""

    name: str
    hosting: str
    location: str


def asset_places(session: Session, asset_ids: Iterable[int]) -> dict[int, AssetPlace]:
    """The name, hosting and location (decrypted) of the assets with these ids, in one
    query; the caller audits the reading."""
    wanted = set(asset_ids)
    if not wanted:
        return {}
    query = (
        select(InformationAsset)
        .where(InformationAsset.id.in_(wanted))
        .options(
            undefer(InformationAsset.location),
            lazyload(InformationAsset.owner),
            lazyload(InformationAsset.administrator),
        )
    )
    return {
        a.id: AssetPlace(a.name, HOSTING_LABELS[a.hosting], a.location)
        for a in session.scalars(query)
    }


def incidents_involving(session: Session, asset_ids: Iterable[int]) -> dict[int, list[str]]:
    """The references of the incidents linked to each of these assets, in one query."""
    wanted = set(asset_ids)
    if not wanted:
        return {}
    table = links["incident"]
    rows = session.execute(
        select(table.c.asset_id, table.c.reference)
        .where(table.c.asset_id.in_(wanted))
        .order_by(table.c.reference)
    )
    found: dict[int, list[str]] = {}
    for asset_id, reference in rows:
        found.setdefault(asset_id, []).append(reference)
    return found
