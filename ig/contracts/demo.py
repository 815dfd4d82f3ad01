"""Demo processor contracts for Eastmere: the suppliers behind its social care systems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.contracts.policy import ContractsPolicy
from ig.contracts.service import ContractInput, create_contract
from ig.people.models import Organisation, OrganisationKind

OFFICER = "ig.officer@eastmere.example"
MANAGER = "manager@eastmere.example"  # Sam Idowu, the social care systems' owner
# (title, reference, processor, sub-processors, owner, days from today it started and
#  ends, value band, terms it lacks, assets it serves)
CONTRACTS = [
    (
        "Adult social care case management system",
        "EBC-PC-0141",
        "Casework Systems Ltd",
        ("Northbridge Data Centres Ltd",),
        MANAGER,
        (-900, 560),
        "from_500k_to_1m",
        ("h",),  # no right to audit the supplier
        ("Adult social care case records",),
    ),
    (
        "Cloud hosting for the hospital discharge tracker",
        "EBC-PC-0187",
        "Skyloft Hosting Ltd",
        (),
        MANAGER,
        (-1050, 45),  # ending soon
        "from_25k_to_100k",
        (),
        ("Hospital discharge tracker",),
    ),
    (
        "Confidential waste collection",
        "EBC-PC-0102",
        "Shredwell Secure Disposal Ltd",
        (),
        OFFICER,
        (-1100, -20),  # ended
        "under_25k",
        (),
        (),
    ),
]


def _organisation(session: Session, name: str) -> Organisation:
    found = session.scalar(select(Organisation).where(Organisation.name == name).limit(1))
    if found is None:
        found = Organisation(name=name, kind=OrganisationKind.OTHER)
        session.add(found)
        session.flush()
    return found


def load_contracts_demo(
    session: Session,
    policy: ContractsPolicy,
    actors: Mapping[str, Actor],
    user_ids: Mapping[str, int],
    now: dt.datetime,
) -> None:
    """Three contracts: one missing the audit term, one ending soon, one ended."""
    today = now.date()
    for title, reference, processor, subs, owner, (start, end), band, lacks, assets in CONTRACTS:
        for name in subs:
            _organisation(session, name)
        create_contract(
            session,
            actors[OFFICER],
            policy,
            ContractInput(
                title=title,
                reference=reference,
                processor_id=_organisation(session, processor).id,
                owner_user_id=user_ids[owner],
                start_on=today + dt.timedelta(days=start),
                end_on=today + dt.timedelta(days=end),
                value_band=band,
                terms=tuple(key for key in policy.terms if key not in lacks),
                assets=assets,
                subprocessors=subs,
                notes="Contract held by Procurement; signed copy in the contracts system.",
            ),
            now,
        )
