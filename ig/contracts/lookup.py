"""What the other registers read of the processor contracts: those serving some assets.

The record of processing reads contracts through this function only (pyproject.toml's
import contract says so).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.contracts.models import ProcessorContract, contract_assets
from ig.people.models import Organisation


@dataclass(frozen=True)
class ServingContract:
    """A contract under which a processor handles an asset's data (UK GDPR Art. 28)."""

    contract_id: int
    reference: str
    processor: str


def contracts_serving(
    session: Session, asset_ids: Iterable[int]
) -> dict[int, list[ServingContract]]:
    """The contracts serving each of these assets, by reference, in one query."""
    wanted = set(asset_ids)
    if not wanted:
        return {}
    rows = session.execute(
        select(
            contract_assets.c.asset_id,
            ProcessorContract.id,
            ProcessorContract.reference,
            Organisation.name,
        )
        .join(ProcessorContract, ProcessorContract.id == contract_assets.c.contract_id)
        .join(Organisation, Organisation.id == ProcessorContract.processor_id)
        .where(contract_assets.c.asset_id.in_(wanted))
        .order_by(ProcessorContract.reference, ProcessorContract.id)
    )
    found: dict[int, list[ServingContract]] = {}
    for asset_id, contract_id, reference, processor in rows:
        found.setdefault(asset_id, []).append(ServingContract(contract_id, reference, processor))
    return found
