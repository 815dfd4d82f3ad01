"""incidents_0005: an action's description, stored in the clear before, is encrypted in
its row, the upgrade can run again, and the downgrade gives the text back."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from ig.incidents.action_models import ActionStatus, IncidentAction
from ig.migrations import downgrade, upgrade
from tests.factories import make_team
from tests.incidents.clocks import State, make_incident
from tests.incidents.test_not_notifying_migration import raw
from tests.test_migrations import scratch_engine  # noqa: F401 - the fixture

pytestmark = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index"
)
BASE = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
WHAT = "Ring Mrs Example back about the letter"


def test_existing_descriptions_are_encrypted_the_upgrade_runs_again_and_downgrades(
    scratch_engine,  # noqa: F811
    keyring,
    policies,
):
    upgrade(scratch_engine)
    with Session(scratch_engine) as session:
        incident = make_incident(session, policies.incidents, make_team(session).id, State(), BASE)
        action = IncidentAction(
            description=WHAT, due_on=dt.date(2026, 7, 1), status=ActionStatus.OPEN
        )
        incident.actions.append(action)
        session.commit()
        action_id = action.id
    downgrade(scratch_engine, "incidents_0004_not_notifying")
    select = f"SELECT description FROM incident_actions WHERE id = {action_id}"
    assert raw(scratch_engine, select) == [(WHAT,)]

    upgrade(scratch_engine)
    (stored,) = raw(scratch_engine, select)[0]
    upgrade(scratch_engine)  # nothing left to do: a value already bound is passed over
    assert raw(scratch_engine, select) == [(stored,)]
    assert stored.startswith("v2:")
    assert "Example" not in stored
    with Session(scratch_engine) as session:
        assert session.get(IncidentAction, action_id).description == WHAT

    downgrade(scratch_engine, "incidents_0004_not_notifying")
    assert raw(scratch_engine, select) == [(WHAT,)]
