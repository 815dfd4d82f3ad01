"""A processor contract made through the service, for the contract tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.contracts.models import ProcessorContract
from ig.contracts.policy import load_contracts
from ig.contracts.service import ContractInput, create_contract
from ig.settings import PROJECT_ROOT
from tests.factories import make_organisation, make_user

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
MANAGE = Actor(None, "officer", frozenset(), frozenset({"contracts.read", "contracts.manage"}))
POLICY = load_contracts(PROJECT_ROOT / "policies")
ALL_TERMS = tuple(POLICY.terms)


def make_contract(db: Session, **fields: Any) -> ProcessorContract:
    """A contract with every term, running from a year ago to two years on (from
    ``today``, NOW's date unless given), recorded at ``now`` (NOW); ``fields``
    override ContractInput's values."""
    today = fields.pop("today", NOW.date())
    now = fields.pop("now", NOW)
    if "processor_id" not in fields:
        fields["processor_id"] = make_organisation(db, name=fields.pop("processor", None)).id
    if "owner_user_id" not in fields:
        fields["owner_user_id"] = make_user(db, roles=("manager",)).id
    values: dict[str, Any] = {
        "title": "Case management system",
        "reference": "PC-1",
        "start_on": today - dt.timedelta(days=365),
        "end_on": today + dt.timedelta(days=730),
        "value_band": "from_100k_to_500k",
        "terms": ALL_TERMS,
        **fields,
    }
    return create_contract(db, MANAGE, POLICY, ContractInput(**values), now)
