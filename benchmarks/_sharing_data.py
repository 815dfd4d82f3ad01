"""The partner register and agreements the sharing benchmark measures: 5,000
organisations, 10,000 agreements with 40,000 parties, generated reproducibly."""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Iterator
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from ig.auth.models import User, UserRole
from ig.people.models import Organisation
from ig.sharing.models import (
    Agreement,
    AgreementCategory,
    AgreementParty,
    AgreementPurpose,
)
from ig.sharing.policy import SharingPolicy
from ig.sharing.service import REFERENCE_DIR, REFERENCE_FILES

TODAY = dt.date(2026, 11, 22)
NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
BATCH = 5_000
LONDON = [f"E090000{n:02d}" for n in range(1, 34)]
ROLES = ("controller", "joint_controller", "processor", "recipient")


def _stamp() -> dict[str, Any]:
    return {"version": 1, "created_at": NOW, "updated_at": NOW}


def _organisations(count: int) -> list[dict[str, Any]]:
    """The London councils and ICBs as shipped, this council, then other partners."""
    rows: list[dict[str, Any]] = []
    for name in REFERENCE_FILES:
        lines = (REFERENCE_DIR / name).read_text(encoding="utf-8").splitlines()[1:]
        for line in lines:
            cells = line.split(",")
            icb = len(cells) == 3
            rows.append(
                {
                    "code": cells[1] if icb else cells[0],
                    "name": cells[-1],
                    "kind": "integrated_care_board" if icb else "local_authority",
                }
            )
    rows.append({"code": None, "name": "Eastmere Council", "kind": "other", "is_self": True})
    letters = string.ascii_uppercase + string.digits
    trusts = [f"R{a}{b}" for a in letters for b in letters]
    for number in range(count - len(rows)):
        kind, code = _other(number, trusts)
        rows.append({"code": code, "name": f"Partner {number:05d} ({kind})", "kind": kind})
    return [
        {
            "id": i,
            "address": "",
            "assurance_status": "",
            "assurance_on": None,
            "dpo_contact": "",
            "is_self": False,
            **row,
            **_stamp(),
        }
        for i, row in enumerate(rows, start=1)
    ]


def _other(number: int, trusts: list[str]) -> tuple[str, str | None]:
    slot = number % 10
    if slot == 0:
        return "local_authority", f"E07{number:06d}"
    if slot == 1 and number // 10 < len(trusts):
        return "nhs_trust", trusts[number // 10]
    if slot in (2, 3, 4):
        return "gp_practice", f"{string.ascii_uppercase[number % 26]}{number:05d}"
    return ("provider", None) if slot < 8 else ("voluntary", None)


def _agreement(rng: random.Random, number: int, policy: SharingPolicy) -> dict[str, Any]:
    start = TODAY - dt.timedelta(days=rng.randrange(-200, 1500))
    length = rng.randrange(365, 1460)
    parties = 4
    roll = rng.random()
    signed = parties if roll < 0.7 else 0 if roll < 0.8 else rng.randrange(1, parties)
    return {
        "id": number,
        "reference": f"DSA-B-{number:05d}",
        "revision": 1,
        "title": f"Benchmark agreement {number}",
        "purpose": "Joined-up care",
        "owner_id": 0,
        "lawful_basis": rng.choice(list(policy.lawful_bases)),
        "special_condition": None,
        "statutory_gateway": "care_act_2014",
        "data_items": "",
        "is_special_category": False,
        "data_subjects": "",
        "frequency": "",
        "transfer_method": "",
        "transfer_security": "",
        "retention": "",
        "rights_requests": "",
        "breach_procedure": "",
        "conditions": "Share the minimum",
        "dpia_reference": "",
        "dpia_outcome": None,
        "dpia_on": None,
        "starts_on": start,
        "review_on": start + dt.timedelta(days=rng.randrange(200, length)),
        "ends_on": start + dt.timedelta(days=length),
        "terminated_on": start + dt.timedelta(days=30) if rng.random() < 0.03 else None,
        "termination_reason": "",
        "content_digest": f"{number:064x}",
        "party_count": parties,
        "signed_count": signed,
        "supersedes_id": None,
        **_stamp(),
    }


def _rows(
    engine: Engine, policy: SharingPolicy, organisations: int, agreements: int
) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
    rng = random.Random(20261122)  # noqa: S311 - reproducible data, not security
    orgs = _organisations(organisations)
    yield Organisation.__table__, orgs
    own = next(o["id"] for o in orgs if o["is_self"])
    london = [o["id"] for o in orgs if o["code"] in LONDON]
    others = [o["id"] for o in orgs if o["id"] != own]
    batch: dict[Any, list[dict[str, Any]]] = {}
    for number in range(1, agreements + 1):
        row = _agreement(rng, number, policy)
        partners = rng.sample(london, 1) + rng.sample(others, 2)
        row["owner_id"] = own if rng.random() < 0.8 else partners[0]
        members = list(dict.fromkeys([own, *partners]))[:4]
        while len(members) < 4:
            members = list(dict.fromkeys([*members, rng.choice(others)]))
        signed = row["signed_count"]
        batch.setdefault(Agreement.__table__, []).append(row)
        batch.setdefault(AgreementParty.__table__, []).extend(
            {
                "agreement_id": number,
                "organisation_id": org,
                "role": ROLES[i % 4],
                "signatory_name": "A Signatory" if i < signed else "",
                "signatory_title": "Director" if i < signed else "",
                "signed_on": row["starts_on"] if i < signed else None,
                "signed_digest": row["content_digest"] if i < signed else None,
                "signed_by_id": None,
                "signed_at": NOW if i < signed else None,
                "evidence": "",
            }
            for i, org in enumerate(members)
        )
        batch.setdefault(AgreementCategory.__table__, []).extend(
            {"agreement_id": number, "category": c}
            for c in rng.sample(list(policy.categories), rng.randrange(2, 5))
        )
        batch.setdefault(AgreementPurpose.__table__, []).extend(
            {"agreement_id": number, "purpose": p}
            for p in rng.sample(list(policy.purposes), rng.randrange(1, 4))
        )
        if number % BATCH == 0 or number == agreements:
            yield from batch.items()
            batch = {}


def generate(engine: Engine, policy: SharingPolicy, organisations: int, agreements: int) -> None:
    """Insert the data set and an IG officer (user 1) to sign in as."""
    from ig.auth.service import hash_password

    with engine.begin() as connection:
        connection.execute(
            insert(User.__table__),
            [
                {
                    "id": 1,
                    "email": "ig.officer@bench.example",
                    "name": "Bench Officer",
                    "password_hash": hash_password("not used by the benchmark"),
                    "is_active": True,
                    "password_changed_at": NOW,
                    **_stamp(),
                }
            ],
        )
        connection.execute(insert(UserRole.__table__), [{"user_id": 1, "role": "ig_officer"}])
        for table, rows in _rows(engine, policy, organisations, agreements):
            connection.execute(insert(table), rows)
