"""The demo's information rights requests tell the AI trial's story on real clocks."""

from __future__ import annotations

from sqlalchemy import select

from ig.db import london_today
from ig.demo import load_demo
from ig.rights.models import RequestStatus, RightsRequest
from ig.rights.records import clock_of


def test_the_demo_requests_are_on_their_clocks(db, policies):
    assert load_demo(db, policies) is True
    today = london_today()
    every = list(db.scalars(select(RightsRequest)))
    assert len(every) == 8
    items = {i.requester_name: i for i in every if i.type_key != "complaint"}
    clocks = {name: clock_of(item, policies.rights, today) for name, item in items.items()}
    assert items["Margaret Ellis"].type_key == "consent_withdrawal"
    assert "AI transcription trial" in items["Margaret Ellis"].summary
    assert clocks["David Ellis"].is_extended
    assert items["David Ellis"].authority
    assert clocks["Grace Obi"].days_left(today) < 0
    assert clocks["Peter Walsh"].paused_days == 7  # waiting for his proof of identity
    assert items["Peter Walsh"].type_key == "subject_access"
    # Peter's complaint is found with his request, through the blind index.
    complaint = next(i for i in every if i.type_key == "complaint")
    assert complaint.identifier_index == items["Peter Walsh"].identifier_index
    assert items["J. Smith"].status is RequestStatus.CLOSED
