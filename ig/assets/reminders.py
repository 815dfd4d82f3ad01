"""Information-asset confirmations as a reminder source."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, Select, String, cast, literal, null, select
from sqlalchemy.orm import Session

from ig.assets.service import confirmation_due_query
from ig.reminders.policy import Rule


def confirmation_due(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Every asset with its next confirmation date; its owner (the IAO) is reminded."""
    assets = confirmation_due_query().subquery()
    return select(
        literal("information_asset").label("record_type"),
        cast(assets.c.id, String).label("record_id"),
        assets.c.next_confirmation_on.label("due"),
        cast(assets.c.next_confirmation_on, String).label("due_key"),
        assets.c.name.label("title"),
        (literal("/assets/") + cast(assets.c.id, String)).label("link"),
        assets.c.owner_user_id.label("owner_user_id"),
        cast(null(), String).label("owner_email"),
        cast(null(), Integer).label("team_id"),
    )
