"""A processing activity's input and a maker, for the processing-activity tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from ig.auth.rules import Actor
from ig.processing.policy import load_processing
from ig.processing.rules import LawfulBasis, Role, Safeguard
from ig.processing.service import ActivityInput, create_activity
from ig.settings import PROJECT_ROOT

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
POLICY = load_processing(PROJECT_ROOT / "policies")
MANAGE = Actor(None, "officer", frozenset(), frozenset({"processing.read", "processing.manage"}))


def activity_input(owner_id: int, **changes: Any) -> ActivityInput:
    base = ActivityInput(
        name="Adult social care case management",
        role=Role.CONTROLLER,
        purpose="Assessing needs and arranging care and support",
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        art9_condition="health_social_care",
        schedule_1_condition="health_social_care",
        has_policy_document=False,
        recipients="Care providers",
        safeguard=Safeguard.NONE,
        transfer_detail="",
        retention="8 years after the case closes",
        security_measures="Role-based access",
        relies_on_consent=False,
        is_automated=False,
        owner_user_id=owner_id,
        people_categories=("adults_supported", "carers"),
        data_categories=("identity", "care_records", "health"),
    )
    return dataclasses.replace(base, **changes)


def make_activity(db: Any, owner: Any, **changes: Any) -> Any:
    return create_activity(db, MANAGE, POLICY, activity_input(owner.id, **changes), NOW)
