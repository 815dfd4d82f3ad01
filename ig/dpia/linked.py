"""The DPIAs linked to another register's record, for that record's page: an
agreement's (any of its versions), a processing activity's or an information asset's
(one query each, no encrypted field).

The other features read DPIAs through these functions only (pyproject.toml's import
contract names each page that does).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, Table, select
from sqlalchemy.orm import Session

from ig.dpia.models import (
    Dpia,
    Status,
    dpia_information_assets,
    dpia_processing_activities,
    dpia_sharing_agreements,
)
from ig.sharing.service import agreement_versions


@dataclass(frozen=True)
class LinkedDpia:
    """A DPIA as another record's page lists it."""

    dpia_id: int
    title: str
    status: Status


def _linked(session: Session, dpia_ids: Select) -> list[LinkedDpia]:
    rows = session.execute(
        select(Dpia.id, Dpia.title, Dpia.status)
        .where(Dpia.id.in_(dpia_ids))
        .order_by(Dpia.title, Dpia.id)
    ).all()
    return [LinkedDpia(row.id, row.title, row.status) for row in rows]


def _linking(table: Table, column: str, record_ids: Select | list[int]) -> Select:
    return select(table.c.dpia_id).where(table.c[column].in_(record_ids))


def list_dpias_for_agreement(session: Session, agreement_id: int) -> list[LinkedDpia]:
    """The DPIAs that link any version of the data-sharing agreement, by title: a DPIA
    linked to version 1 still assesses the sharing once renewed (and the other way)."""
    versions = agreement_versions(agreement_id)
    return _linked(session, _linking(dpia_sharing_agreements, "agreement_id", versions))


def list_dpias_for_activity(session: Session, activity_id: int) -> list[LinkedDpia]:
    """The DPIAs that link the processing activity, by title."""
    return _linked(session, _linking(dpia_processing_activities, "activity_id", [activity_id]))


def list_dpias_for_asset(session: Session, asset_id: int) -> list[LinkedDpia]:
    """The DPIAs that link the information asset, by title."""
    return _linked(session, _linking(dpia_information_assets, "asset_id", [asset_id]))
