"""incidents_0004: the reason for not notifying the ICO is encrypted, and the flag the
72-hour clocks read in SQL is set from the reasons already recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ig.incidents.models import Incident
from ig.migrations import downgrade, upgrade
from tests.factories import make_team
from tests.incidents.clocks import State, make_incident
from tests.test_migrations import scratch_engine  # noqa: F401 - the fixture

pytestmark = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index"
)
BASE = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
REASON = "Contained before anyone read it"


def raw(engine: Engine, sql: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def test_existing_reasons_are_encrypted_and_flagged_and_the_upgrade_runs_again(
    scratch_engine,  # noqa: F811
    keyring,
    policies,
):
    upgrade(scratch_engine)
    with Session(scratch_engine) as session:
        team = make_team(session).id
        decided = make_incident(
            session, policies.incidents, team, State(no_notification_reason=True), BASE
        ).id
        undecided = make_incident(session, policies.incidents, team, State(), BASE).id
        session.commit()
    downgrade(scratch_engine, "incidents_0003_overdue")
    assert raw(
        scratch_engine, f"SELECT no_notification_reason FROM incidents WHERE id = {decided}"
    )[0] == (REASON,)

    upgrade(scratch_engine)
    upgrade(scratch_engine)  # nothing left to do: values already bound are passed over
    rows = {
        row[0]: row[1:]
        for row in raw(
            scratch_engine,
            "SELECT id, no_notification_reason, decided_not_to_notify FROM incidents",
        )
    }
    assert rows[decided][0].startswith("v2:")
    assert bool(rows[decided][1]) is True
    assert bool(rows[undecided][1]) is False
    assert REASON not in repr(rows)
    with Session(scratch_engine) as session:
        assert session.get(Incident, decided).no_notification_reason == REASON
        assert session.get(Incident, undecided).no_notification_reason == ""


def test_recording_a_reason_sets_the_flag_and_clearing_it_unsets_it(db, policies):
    incident = make_incident(db, policies.incidents, make_team(db).id, State(), BASE)
    assert incident.decided_not_to_notify is False
    incident.no_notification_reason = REASON
    assert incident.decided_not_to_notify is True
    incident.no_notification_reason = "  "
    assert incident.decided_not_to_notify is False
