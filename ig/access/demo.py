"""Demo access for Eastmere: a social worker's access to the case management system,
asked for, approved by the line manager and granted by the system's owner; and a
second request still waiting for the manager."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy.orm import Session

from ig.access.pick import ASSETS
from ig.access.policy import AccessPolicy
from ig.access.service import AccessInput, decide_request, record_granted, request_access
from ig.auth.rules import Actor
from ig.db import london_today
from ig.people import pickers

MANAGER = "manager@eastmere.example"  # Sam Idowu: Alex's line manager, and the systems' IAO
STAFF = "staff@eastmere.example"  # Alex Morgan, a social worker in Adults East Assessment


def _asset_id(session: Session, name: str) -> int:
    return pickers.search(session, ASSETS, name, limit=1)[0].id


def load_access_demo(
    session: Session, policy: AccessPolicy, actors: Mapping[str, Actor], now: dt.datetime
) -> None:
    """Alex's granted access to the adult case records, and a request awaiting Sam."""
    asked = now - dt.timedelta(days=20)
    mosaic = AccessInput(
        _asset_id(session, "Adult social care case records"),
        "edit",
        "I have joined the Adults East assessment team and record my assessments in Mosaic.",
    )
    item = request_access(session, actors[STAFF], policy, mosaic, asked)
    decide_request(
        session,
        actors[MANAGER],
        item.id,
        True,
        "Needed for Alex's assessments; edit access matches the social worker role.",
        asked + dt.timedelta(days=1),
    )
    granted = asked + dt.timedelta(days=2)
    record_granted(session, actors[MANAGER], policy, item.id, london_today(granted), granted)
    children = AccessInput(
        _asset_id(session, "Children's services records"),
        "read",
        "Transition cases: young people moving to adult services next month.",
    )
    request_access(session, actors[STAFF], policy, children, now - dt.timedelta(days=2))
