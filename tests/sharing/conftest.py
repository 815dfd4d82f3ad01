"""Fixtures for the sharing tests: the policy, an IG officer actor, London partners."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from ig.audit.models import AuditEntry
from ig.auth.rules import Actor
from tests import factories

TODAY = dt.date(2026, 6, 15)
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
OFFICER = Actor(
    None,
    "ig.officer@example.org",
    frozenset({"ig_officer"}),
    frozenset({"sharing.manage", "sharing.sign", "sharing.read"}),
)


@pytest.fixture
def policy(policies):
    return policies.sharing


@pytest.fixture
def own(db):
    return factories.make_organisation(db, name="Eastmere Council", is_self=True)


@pytest.fixture
def camden(db):
    return factories.make_organisation(db, "local_authority", "E09000007", "Camden")


@pytest.fixture
def islington(db):
    return factories.make_organisation(db, "local_authority", "E09000019", "Islington")


def actions(db, record_type: str, record_id: object = None) -> list[str]:
    query = select(AuditEntry.action).where(AuditEntry.record_type == record_type)
    if record_id is not None:
        query = query.where(AuditEntry.record_id == str(record_id))
    return list(db.scalars(query.order_by(AuditEntry.seq)))
