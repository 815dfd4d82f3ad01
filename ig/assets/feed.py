"""The information asset register as a read-only feed (no encrypted field)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ig.assets.models import InformationAsset
from ig.feature import Feed, FeedChanges, FeedColumn
from ig.policies import Policies

C = FeedColumn


def _assets(_session: Session, _policies: Policies, _now: dt.datetime) -> Select:
    a = InformationAsset
    return select(
        a.id,
        a.name,
        a.system,
        a.owner_user_id,
        a.administrator_user_id,
        a.record_count,
        a.asset_format,
        a.hosting,
        a.retention_period,
        a.criticality,
        a.last_confirmed_on,
        a.next_confirmation_on,
    )


ASSETS = Feed(
    "information_assets",
    "Information assets",
    "assets.read",
    (
        C("id", "integer", "the asset's number in ig"),
        C("name", "string", "its name"),
        C("system", "string", "the system or store"),
        C("owner_user_id", "integer", "its Information Asset Owner"),
        C("administrator_user_id", "integer", "its administrator"),
        C("record_count", "integer", "about how many records it holds"),
        C("asset_format", "string", "electronic, paper or both"),
        C("hosting", "string", "where it is hosted"),
        C("retention_period", "string", "how long its records are kept"),
        C("criticality", "string", "how critical it is"),
        C("last_confirmed_on", "date", "when its owner last confirmed it"),
        C("next_confirmation_on", "date", "when the next confirmation is due"),
    ),
    _assets,
    FeedChanges(record_type="information_asset"),
)
