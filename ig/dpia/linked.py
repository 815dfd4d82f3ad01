"""The DPIAs linked to another register's record, for that record's page: an
agreement's (any of its versions), a processing activity's or an information asset's
(one query each, no encrypted field); and those of many activities, for the record of
processing's export.

The other features read DPIAs through these functions only (pyproject.toml's import
contract names each page that does).
"""

from __future__ import annotations

from collections.abc import Iterable
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
from ig.dpia.register import SHOWN_LABELS, Shown
from ig.sharing.versions import agreement_versions

COLUMNS = (Dpia.id, Dpia.title, Dpia.status, Dpia.is_dpia_required)


@dataclass(frozen=True)
class LinkedDpia:
    """A DPIA as another record's page lists it."""

    dpia_id: int
    title: str
    status: Status
    is_required: bool | None  # the screening's result; None until screened

    @property
    def status_label(self) -> str:
        return SHOWN_LABELS[Shown(self.status.value)]


def _linked(session: Session, dpia_ids: Select) -> list[LinkedDpia]:
    rows = session.execute(
        select(*COLUMNS).where(Dpia.id.in_(dpia_ids)).order_by(Dpia.title, Dpia.id)
    ).all()
    return [LinkedDpia(*row) for row in rows]


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


def list_dpias_for_activities(
    session: Session, activity_ids: Iterable[int]
) -> dict[int, list[LinkedDpia]]:
    """The DPIAs that link each of these processing activities, by title, in one query
    (for the record of processing's export)."""
    wanted = set(activity_ids)
    if not wanted:
        return {}
    table = dpia_processing_activities
    rows = session.execute(
        select(table.c.activity_id, *COLUMNS)
        .join(Dpia, Dpia.id == table.c.dpia_id)
        .where(table.c.activity_id.in_(wanted))
        .order_by(Dpia.title, Dpia.id)
    )
    found: dict[int, list[LinkedDpia]] = {}
    for activity_id, *dpia in rows:
        found.setdefault(activity_id, []).append(LinkedDpia(*dpia))
    return found
