"""Processor contracts as reminder sources: those ending, and those missing Art. 28 terms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Integer, Select, String, cast, literal, null, select
from sqlalchemy.orm import Session

from ig.contracts.service import flagged_query
from ig.db import london_today
from ig.reminders.policy import Rule


def _rows(contracts: Any, due: Any, due_key: Any) -> Select:
    return select(
        literal("processor_contract").label("record_type"),
        cast(contracts.c.id, String).label("record_id"),
        due.label("due"),
        due_key.label("due_key"),
        contracts.c.title.label("title"),
        (literal("/contracts/") + cast(contracts.c.id, String)).label("link"),
        contracts.c.owner_user_id.label("owner_user_id"),
        cast(null(), String).label("owner_email"),
        cast(null(), Integer).label("team_id"),
    )


def contract_ending(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Every contract, due on its end date: its owner is told before, and once it ends."""
    contracts = flagged_query().subquery()
    return _rows(contracts, contracts.c.end_on, cast(contracts.c.end_on, String))


def missing_terms(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Running contracts missing Art. 28(3) terms, due from their start: the owner is told
    until the terms are in (a change in how many are missing starts afresh)."""
    query = flagged_query()
    query = query.where(query.selected_columns.missing_terms > 0)
    contracts = query.where(query.selected_columns.end_on >= london_today(now)).subquery()
    due_key = (
        cast(contracts.c.start_on, String) + literal("/") + cast(contracts.c.missing_terms, String)
    )
    return _rows(contracts, contracts.c.start_on, due_key)
