"""The other registers' records that the record of processing's export names for each
activity: the information assets it uses (and where they keep the data), the processor
contracts serving those assets, the breaches that involved them and the DPIAs that
assess the activity; and the council itself, the processor of the Art. 30(2) record.

A fixed number of queries for any number of activities. Other registers are read
through their lookup functions only (pyproject.toml's import contract names each).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.assets.lookup import AssetPlace, asset_places, incidents_involving
from ig.contracts.lookup import ServingContract, contracts_serving
from ig.dpia.linked import LinkedDpia, list_dpias_for_activities
from ig.incidents.lookup import breach_references
from ig.people.models import Organisation
from ig.processing.models import activity_assets
from ig.sharing.service import find_self_organisation


@dataclass(frozen=True)
class Related:
    """One activity's records in the other registers, each kind in its register's order."""

    assets: list[AssetPlace] = field(default_factory=list)
    contracts: list[ServingContract] = field(default_factory=list)
    breaches: list[str] = field(default_factory=list)  # incident references
    dpias: list[LinkedDpia] = field(default_factory=list)


@dataclass(frozen=True)
class ExportRecords:
    """What the export adds to the activities' own records."""

    council: Organisation | None  # the organisation marked as this one, if any
    related: dict[int, Related]

    def of(self, activity_id: int) -> Related:
        return self.related.get(activity_id) or Related()


def export_records(session: Session, activity_ids: Sequence[int]) -> ExportRecords:
    """The records each activity links to, in seven queries for any number of them."""
    links = session.execute(
        select(activity_assets.c.activity_id, activity_assets.c.asset_id).where(
            activity_assets.c.activity_id.in_(activity_ids)
        )
    ).all()
    asset_ids = {asset_id for _activity, asset_id in links}
    places = asset_places(session, asset_ids)
    incidents = incidents_involving(session, asset_ids)
    breaches = breach_references(session, [r for refs in incidents.values() for r in refs])
    contracts = contracts_serving(session, asset_ids)
    dpias = list_dpias_for_activities(session, activity_ids)
    used: dict[int, list[int]] = {}
    for activity_id, asset_id in links:
        used.setdefault(activity_id, []).append(asset_id)
    related = {}
    for activity_id in activity_ids:
        assets = sorted(used.get(activity_id, []), key=lambda a: places[a].name)
        related[activity_id] = Related(
            assets=[places[a] for a in assets],
            contracts=sorted(
                {c for a in assets for c in contracts.get(a, [])},
                key=lambda c: (c.reference, c.contract_id),
            ),
            breaches=sorted({r for a in assets for r in incidents.get(a, []) if r in breaches}),
            dpias=dpias.get(activity_id, []),
        )
    return ExportRecords(find_self_organisation(session), related)
