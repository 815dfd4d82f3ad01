"""The demo's information rights requests tell the AI trial's story on real clocks; its
public disclosure log never shows who asked."""

from __future__ import annotations

from sqlalchemy import select

from ig.db import london_today
from ig.demo import load_demo
from ig.rights import refusals
from ig.rights.models import Outcome, RequestStatus, RightsRequest
from ig.rights.records import clock_of


def test_the_demo_requests_are_on_their_clocks(client, db, policies):
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
    _the_public_log_never_shows_who_asked(client, db, every)


def _the_public_log_never_shows_who_asked(client, db, every):
    """Part of the demo's test, which loads the demo once for both."""
    people = [
        text
        for item in every
        for text in (
            item.requester_name,
            item.requester_contact,
            item.requester_identifier,
            item.representative_name,
        )
        if text
    ]
    html = client.get("/rights/disclosure-log")  # signed out: the log is public
    csv = client.get("/rights/disclosure-log.csv")
    assert html.status_code == csv.status_code == 200
    assert csv.mimetype == "text/csv"
    for body in (html.data.decode(), csv.data.decode()):
        assert "Subject access requests answered late in 2025" in body
        for text in people:
            assert text not in body, text
    refused = next(i for i in every if i.requester_name == "Tom Hartley")
    assert refused.outcome is Outcome.PARTIAL
    assert refusals.find_refusal(db, refused.id) is not None
    assert sum(1 for i in every if i.handler_user_id) == 5
