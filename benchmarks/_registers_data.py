"""Issue 17's registers at council scale, added to the load benchmark's database: 2,000
information assets, 1,000 processing activities, 500 DPIAs, 1,000 processor contracts and
100,000 access grants held by the data set's 20,000 staff (five each), generated
reproducibly from a seed over the users, staff and organisations already there.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, Engine

from benchmarks._bound_rows import bound
from ig.access.models import AccessRequest
from ig.access.rules import AccessStatus
from ig.assets.models import AssetCategory, InformationAsset
from ig.assets.rules import AssetFormat, Criticality, Hosting
from ig.auth.models import User
from ig.contracts.models import ContractTerm, ProcessorContract, contract_assets
from ig.dpia.models import Dpia, DpiaRisk, Status
from ig.people.models import Staff
from ig.policies import Policies
from ig.processing.models import ActivityCategory, ProcessingActivity, activity_assets
from ig.processing.rules import LawfulBasis, Role, Safeguard
from ig.sharing.models import Organisation

ASSETS = 2_000
ACTIVITIES = 1_000
DPIAS = 500
CONTRACTS = 1_000
GRANTS_EACH = 5  # access grants per member of staff: 100,000 for 20,000 staff
BATCH = 20_000


def _stamp(now: dt.datetime) -> dict[str, Any]:
    return {"version": 1, "created_at": now, "updated_at": now}


def _assets(rng: random.Random, policies: Policies, users: list[int], today: dt.date,
            now: dt.datetime) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:  # fmt: skip
    """The assets (owners and administrators among ``users``) and two data categories each;
    confirmations fall due across two years, so about one in twelve is overdue."""
    categories = sorted(policies.assets.personal_data)
    assets, held = [], []
    for n in range(1, ASSETS + 1):
        assets.append({
            "id": n, "name": f"Asset {n}", "system": f"System {n % 300}",
            "description": f"Benchmark asset {n}", "owner_user_id": rng.choice(users),
            "administrator_user_id": rng.choice(users), "record_count": rng.randrange(10**6),
            "asset_format": rng.choice(list(AssetFormat)), "hosting": rng.choice(list(Hosting)),
            "location": "Data centre", "retention_period": "6 years",
            "retention_rule": "Records retention schedule", "security_controls": "Role-based",
            "criticality": rng.choice(list(Criticality)),
            "next_confirmation_on": today + dt.timedelta(days=rng.randrange(-60, 670)),
            **_stamp(now),
        })  # fmt: skip
        for key in rng.sample(categories, 2):
            held.append({"asset_id": n, "category": key, "is_special": False})
    return assets, held


def _activities(rng: random.Random, policies: Policies, users: list[int],
                now: dt.datetime) -> dict[Any, list[dict[str, Any]]]:  # fmt: skip
    """The processing activities (one in ten as a processor), each with a category of
    people and of data and two of the assets."""
    people = sorted(policies.processing.people_categories)
    data = sorted(policies.processing.data_categories)
    rows: dict[Any, list[dict[str, Any]]] = {ProcessingActivity: [], ActivityCategory: [],
                                             activity_assets: []}  # fmt: skip
    for n in range(1, ACTIVITIES + 1):
        basis = rng.choice(list(LawfulBasis))
        rows[ProcessingActivity].append({
            "id": n, "name": f"Activity {n}",
            "role": Role.PROCESSOR if n % 10 == 0 else Role.CONTROLLER,
            "purpose": f"Benchmark purpose {n}", "lawful_basis": basis,
            "has_special_category": False, "has_policy_document": False,
            "safeguard": Safeguard.NONE, "retention": "6 years",
            "relies_on_consent": basis is LawfulBasis.CONSENT, "is_automated": False,
            "owner_user_id": rng.choice(users), "policy_version": policies.processing.version,
            **_stamp(now),
        })  # fmt: skip
        rows[ActivityCategory] += [
            {"activity_id": n, "kind": "people", "key": rng.choice(people)},
            {"activity_id": n, "kind": "data", "key": rng.choice(data)},
        ]
        rows[activity_assets] += [
            {"activity_id": n, "asset_id": asset} for asset in rng.sample(range(1, ASSETS + 1), 2)
        ]
    return rows


def _dpias(rng: random.Random, users: list[int], now: dt.datetime) -> dict[Any, list[Any]]:
    """The DPIAs at every stage, each with two risks."""
    rows: dict[Any, list[dict[str, Any]]] = {Dpia: [], DpiaRisk: []}
    for n in range(1, DPIAS + 1):
        rows[Dpia].append({
            "id": n, "title": f"DPIA {n}", "description": f"Benchmark DPIA {n}",
            "owner_user_id": rng.choice(users), "status": rng.choice(list(Status)), **_stamp(now),
        })  # fmt: skip
        for _ in range(2):
            rows[DpiaRisk].append({
                "dpia_id": n, "description": "Misdirected output",
                "likelihood": rng.randrange(1, 6), "severity": rng.randrange(1, 6),
                "residual_likelihood": rng.randrange(1, 4),
                "residual_severity": rng.randrange(1, 4),
            })  # fmt: skip
    return rows


def _contracts(rng: random.Random, policies: Policies, users: list[int], organisations: list[int],
               today: dt.date, now: dt.datetime) -> dict[Any, list[dict[str, Any]]]:  # fmt: skip
    """The contracts, most with every Art. 28(3) term, ending across three years."""
    terms = sorted(policies.contracts.terms)
    bands = sorted(policies.contracts.value_bands)
    rows: dict[Any, list[dict[str, Any]]] = {ProcessorContract: [], ContractTerm: [],
                                             contract_assets: []}  # fmt: skip
    for n in range(1, CONTRACTS + 1):
        held = terms if rng.random() < 0.8 else rng.sample(terms, len(terms) - 2)
        start = today - dt.timedelta(days=rng.randrange(30, 1500))
        rows[ProcessorContract].append({
            "id": n, "title": f"Contract {n}", "reference": f"PC-{n:05d}",
            "processor_id": rng.choice(organisations), "owner_user_id": rng.choice(users),
            "start_on": start, "end_on": today + dt.timedelta(days=rng.randrange(-90, 1000)),
            "value_band": rng.choice(bands), "missing_terms": len(terms) - len(held),
            **_stamp(now),
        })  # fmt: skip
        rows[ContractTerm] += [{"contract_id": n, "term": term} for term in held]
        rows[contract_assets].append({"contract_id": n, "asset_id": rng.randrange(1, ASSETS + 1)})
    return rows


def _grant(rng: random.Random, levels: list[str], people: tuple[int, int], staff_id: int,
           today: dt.date, now: dt.datetime) -> dict[str, Any]:  # fmt: skip
    """One member of staff's access (every row names every column: the rows go in as one
    executemany): most granted (recertification due across a quarter
    and a little overdue), some asked for or approved, some removed. ``people`` are the
    users who grant (the IG officer) and approve (a manager)."""
    keeper, manager = people
    granted_on = today - dt.timedelta(days=rng.randrange(30, 700))
    row = {
        "asset_id": rng.randrange(1, ASSETS + 1), "staff_id": staff_id,
        "level": rng.choice(levels), "status": AccessStatus.GRANTED, "reason": "Casework",
        "requested_by_user_id": keeper, "requested_at": now - dt.timedelta(days=800),
        "decided_by_user_id": manager, "decided_at": now - dt.timedelta(days=790),
        "granted_by_user_id": keeper, "granted_on": granted_on,
        "recertify_by": today + dt.timedelta(days=rng.randrange(-20, 90)),
        "removed_by_user_id": None, "removed_on": None, **_stamp(now),
    }  # fmt: skip
    roll = rng.random()
    if roll < 0.03:
        row.update(status=AccessStatus.REQUESTED, decided_by_user_id=None, decided_at=None,
                   granted_by_user_id=None, granted_on=None, recertify_by=None)  # fmt: skip
    elif roll < 0.05:
        row.update(status=AccessStatus.APPROVED, granted_by_user_id=None, granted_on=None,
                   recertify_by=None)  # fmt: skip
    elif roll < 0.15:
        row.update(status=AccessStatus.REMOVED, removed_by_user_id=keeper, recertify_by=None,
                   removed_on=granted_on + dt.timedelta(days=20))  # fmt: skip
    return row


def _insert(connection: Connection, rows: dict[Any, list[dict[str, Any]]]) -> None:
    for model, batch in rows.items():
        for start in range(0, len(batch), BATCH):
            connection.execute(insert(model), bound(model, batch[start : start + BATCH]))


def build(engine: Engine, policies: Policies, today: dt.date) -> dict[str, int]:
    """Add the registers to a database holding the reminders data set; returns the counts."""
    rng = random.Random(17)  # noqa: S311 - test data, not security
    now = dt.datetime.combine(today, dt.time(9), dt.UTC)
    with engine.connect() as connection:
        users = list(connection.scalars(select(User.id).order_by(User.id)))
        staff = list(connection.scalars(select(Staff.id).order_by(Staff.id)))
        organisations = list(connection.scalars(select(Organisation.id).order_by(Organisation.id)))
    levels = sorted(policies.access.levels)
    assets, held = _assets(rng, policies, users, today, now)
    with engine.begin() as connection:
        _insert(connection, {InformationAsset: assets, AssetCategory: held})
        _insert(connection, _activities(rng, policies, users, now))
        _insert(connection, _dpias(rng, users, now))
        _insert(connection, _contracts(rng, policies, users, organisations, today, now))
        people = (users[0], users[min(1, len(users) - 1)])  # user 2 manages a team
        grants = [
            _grant(rng, levels, people, s, today, now) for s in staff for _ in range(GRANTS_EACH)
        ]
        _insert(connection, {AccessRequest: grants})
        if engine.dialect.name == "postgresql":
            for table in ("information_assets", "processing_activities", "dpias",
                          "processor_contracts"):  # fmt: skip
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"
                )
    return {"assets": ASSETS, "activities": ACTIVITIES, "dpias": DPIAS,
            "contracts": CONTRACTS, "access grants": len(grants)}  # fmt: skip
