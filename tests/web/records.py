"""Fixtures for tests that drive whole forms: the application's own session class, a
client that commits the test's set-up before each request, and one record of each kind."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ig.crypto import KeyRing
from ig.db import IgSession
from tests import factories
from tests.committing import client  # noqa: F401 - the committing client fixture
from tests.conftest import rolled_back_session


@pytest.fixture
def db(engine: Engine, keyring: KeyRing) -> Iterator[Session]:
    """The shared rolled-back session, but of the application's own session class."""
    with rolled_back_session(engine, keyring, IgSession) as session:
        yield session


@dataclass(frozen=True)
class Records:
    """One record of each kind a form edits, for filling in the routes' arguments."""

    arguments: dict[str, Any]


def make_records(db: Session, policies: Any) -> Records:
    """A user, team, member of staff, notice, organisation, agreement, incident and
    Caldicott request, keyed by the name routes give their identifiers."""
    from ig.auth.service import actor_for
    from tests.incidents.conftest import report

    team = factories.make_team(db)
    staff = factories.make_staff(db, team)
    reporter = factories.make_user(db, roles=("staff",))
    partner = factories.make_organisation(db)
    agreement = factories.make_sharing_agreement(
        db, policies.sharing, factories.make_organisation(db), [partner], signed=0
    )
    incident = report(db, actor_for(reporter, policies), policies.incidents, team)
    request = factories.make_caldicott_request(db, reporter)
    arguments = {
        "user_id": reporter.id,
        "team_id": team.id,
        "staff_id": staff.id,
        "notice_id": factories.make_notice(db).id,
        "organisation_id": partner.id,
        "agreement_id": agreement.id,
        "party_id": agreement.parties[-1].id,
        "ref": incident.reference,
        "reference": request.reference,
    }
    return Records(arguments)
