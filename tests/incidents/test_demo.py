"""The demo incidents load through the services and cover every state."""

from __future__ import annotations

from sqlalchemy import select

from ig.incidents.demo import STORIES, load_incidents_demo
from ig.incidents.models import Incident, Status
from tests.incidents.conftest import NOW


def test_demo_incidents_cover_every_state(db, policy, make_actor, team):
    load_incidents_demo(
        db, policy, make_actor("staff"), make_actor("ig_officer"), make_actor("siro"), NOW
    )
    incidents = db.scalars(select(Incident)).all()
    assert len(incidents) == len(STORIES) == 12
    assert {incident.status for incident in incidents} == set(Status)
    late = [i for i in incidents if i.hours_to_notify and i.hours_to_notify > 72]
    assert late
    assert late[0].notifications[0].late_reason
