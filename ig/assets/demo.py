"""Demo information assets for Eastmere: the social care systems and their owners."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy.orm import Session

from ig.assets.policy import AssetsPolicy
from ig.assets.rules import AssetFormat, Criticality, Hosting
from ig.assets.service import AssetInput, confirm_asset, create_asset
from ig.auth.rules import Actor

OFFICER = "ig.officer@eastmere.example"
MANAGER = "manager@eastmere.example"  # Sam Idowu, the adult and children's systems' IAO
SIRO = "siro@eastmere.example"
STAFF = "staff@eastmere.example"
# (name, system, owner, format, hosting, criticality, records, categories, special,
#  suppliers, days before today its owner last confirmed it: None for never)
ASSETS = [
    (
        "Adult social care case records",
        "Mosaic case management system",
        MANAGER,
        AssetFormat.ELECTRONIC,
        Hosting.SUPPLIER_CLOUD,
        Criticality.CRITICAL,
        48_000,
        ("identity", "contact", "family", "financial", "care_records"),
        ("health", "racial_ethnic", "religion"),
        (),
        340,
    ),
    (
        "Children's services records",
        "Liquidlogic Children's System",
        MANAGER,
        AssetFormat.BOTH,
        Hosting.ON_PREMISES,
        Criticality.CRITICAL,
        21_500,
        ("identity", "contact", "family", "education", "care_records", "criminal_offence"),
        ("health", "racial_ethnic", "sex_life"),
        (),
        430,
    ),
    (
        "Hospital discharge tracker",
        "Discharge to assess shared workbook",
        MANAGER,
        AssetFormat.ELECTRONIC,
        Hosting.SUPPLIER_CLOUD,
        Criticality.HIGH,
        1_200,
        ("identity", "care_records"),
        ("health",),
        ("QMJ",),
        90,
    ),
    (
        "Closed children's case files (paper archive)",
        "Records centre, Eastmere Civic Offices basement",
        SIRO,
        AssetFormat.PAPER,
        Hosting.ON_PREMISES,
        Criticality.MEDIUM,
        9_000,
        ("identity", "family", "care_records"),
        ("health",),
        (),
        60,
    ),
]


def load_assets_demo(
    session: Session,
    policy: AssetsPolicy,
    actors: Mapping[str, Actor],
    user_ids: Mapping[str, int],
    now: dt.datetime,
) -> None:
    """Four assets: one overdue for confirmation, one due soon, two confirmed."""
    for (
        name,
        system,
        owner,
        kind,
        hosting,
        level,
        records,
        data,
        special,
        suppliers,
        days,
    ) in ASSETS:
        asset = create_asset(
            session,
            actors[OFFICER],
            policy,
            AssetInput(
                name=name,
                system=system,
                description=f"{name}: the council's record of the people it supports.",
                owner_user_id=user_ids[owner],
                administrator_user_id=user_ids[STAFF],
                record_count=records,
                asset_format=kind,
                hosting=hosting,
                location="UK data centre (London)" if hosting is Hosting.SUPPLIER_CLOUD else "",
                retention_period="Until the 25th birthday" if "Children" in name else "8 years",
                retention_rule="Eastmere retention schedule, social care section",
                security_controls="Role-based access, audit of record views, encrypted backups",
                criticality=level,
                personal_data=data,
                special_categories=special,
                suppliers=suppliers,
            ),
            now - dt.timedelta(days=500),
        )
        confirm_asset(
            session, actors[owner], policy, asset.id, asset.version, now - dt.timedelta(days=days)
        )
