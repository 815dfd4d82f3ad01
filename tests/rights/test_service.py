"""The rights services on a real database: each change, its audit entry, and refusals
that change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text

from ig.errors import InvalidTransition, PermissionDenied, ValidationFailed
from ig.rights import handling, refusals, service
from ig.rights.models import Outcome, PauseReason, RequestStatus, RightsRequest
from ig.rights.records import clock_of, list_earlier_requests
from ig.rights.refusal_rules import GroundInput, RefusalInput
from tests.rights.helpers import NOW, TODAY, actor, audit_actions, request_input


def count(db) -> int:
    return db.scalar(select(func.count(RightsRequest.id))) or 0


def test_logging_records_the_deadline_encrypted_requester_and_audit(db, policies):
    item = service.log_request(db, actor(db), policies.rights, request_input(), NOW)
    assert item.status is RequestStatus.OPEN
    assert item.due_on == dt.date(2026, 12, 2)
    assert item.policy_version == policies.rights.version
    assert audit_actions(db, item.id) == ["rights.logged"]
    raw = db.execute(
        text("SELECT requester_name, requester_contact FROM rights_requests WHERE id = :id"),
        {"id": item.id},
    ).one()
    assert "Jo Bloggs" not in raw[0]
    assert "jo@example.org" not in raw[1]


@pytest.mark.parametrize("type_key", ["complaint", "foi", "eir", "erasure", "consent_withdrawal"])
def test_each_kind_of_request_can_be_logged(db, policies, type_key):
    item = service.log_request(
        db, actor(db), policies.rights, request_input(type_key=type_key), NOW
    )
    assert item.due_on == clock_of(item, policies.rights, TODAY).due_on


def test_any_member_of_staff_can_log_one_they_received(db, policies):
    staff = actor(db, "rights.log", role="staff")
    item = service.log_request(db, staff, policies.rights, request_input(), NOW)
    assert item.logged_by_user_id == staff.user_id
    nobody = actor(db, "home.view", role="staff")
    with pytest.raises(PermissionDenied):
        service.log_request(db, nobody, policies.rights, request_input(), NOW)


def test_on_behalf_of_records_the_authority(db, policies):
    data = request_input(representative_name="Sam Solicitor", authority="Signed form of authority")
    item = service.log_request(db, actor(db), policies.rights, data, NOW)
    assert (item.representative_name, item.authority) == (
        "Sam Solicitor",
        "Signed form of authority",
    )
    with pytest.raises(ValidationFailed) as refused:
        service.log_request(
            db, actor(db), policies.rights, request_input(representative_name="Sam"), NOW
        )
    assert refused.value.field == "authority"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"received_on": dt.date(2026, 11, 21)}, "received_on", "today or in the past"),
        ({"received_on": None}, "received_on", "Enter the date"),
        ({"type_key": "nonsense"}, "type_key", "Choose the kind"),
        ({"channel": "pigeon"}, "channel", "Choose how"),
        ({"requester_name": "  "}, "requester_name", "requester's name"),
        ({"summary": ""}, "summary", "what the person asked"),
        ({"summary": "a\x00b"}, "summary", "character"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(db, policies, fields, field, message):
    before = count(db)
    with pytest.raises(ValidationFailed, match=message) as refused:
        service.log_request(db, actor(db), policies.rights, request_input(**fields), NOW)
    assert refused.value.field == field
    assert count(db) == before


def test_earlier_requests_from_the_same_person_are_found_by_blind_index(db, policies):
    team = actor(db)
    first = service.log_request(db, team, policies.rights, request_input(), NOW)
    by_contact = service.log_request(
        db,
        team,
        policies.rights,
        request_input(requester_identifier="", requester_contact=" JO@example.org "),
        NOW,
    )
    other = service.log_request(
        db,
        team,
        policies.rights,
        request_input(requester_identifier="X-9", requester_contact="x@y.org"),
        NOW,
    )
    later = service.log_request(db, team, policies.rights, request_input(requester_contact=""), NOW)
    assert {r.id for r in list_earlier_requests(db, later)} == {first.id}
    assert {r.id for r in list_earlier_requests(db, by_contact)} == {first.id}
    assert list_earlier_requests(db, other) == []


def test_a_pause_moves_the_deadline_by_the_days_paused(db, policies):
    team = actor(db)
    item = service.log_request(db, team, policies.rights, request_input(), NOW)
    handling.pause_clock(
        db, team, policies.rights, item.id, PauseReason.IDENTITY, dt.date(2026, 11, 4), None, NOW
    )
    assert item.status is RequestStatus.PAUSED
    handling.restart_clock(db, team, policies.rights, item.id, dt.date(2026, 11, 14), NOW)
    assert item.status is RequestStatus.OPEN
    assert item.due_on == dt.date(2026, 12, 14)  # 12 December is a Saturday
    assert clock_of(item, policies.rights, TODAY).paused_days == 10
    assert audit_actions(db, item.id) == ["rights.logged", "rights.paused", "rights.restarted"]


def test_a_pause_ending_before_it_starts_is_refused_and_changes_nothing(db, policies):
    team = actor(db)
    item = service.log_request(db, team, policies.rights, request_input(), NOW)
    with pytest.raises(ValidationFailed, match="cannot end before it starts"):
        handling.pause_clock(
            db,
            team,
            policies.rights,
            item.id,
            PauseReason.FEE,
            dt.date(2026, 11, 10),
            dt.date(2026, 11, 9),
            NOW,
        )
    assert item.pauses == []
    assert item.status is RequestStatus.OPEN
    assert audit_actions(db, item.id) == ["rights.logged"]
    with pytest.raises(InvalidTransition, match="not paused"):
        handling.restart_clock(db, team, policies.rights, item.id, dt.date(2026, 11, 10), NOW)


def test_an_extension_within_the_first_month_moves_the_deadline(db, policies):
    team = actor(db)
    item = service.log_request(db, team, policies.rights, request_input(), NOW)
    handling.extend_deadline(
        db,
        team,
        policies.rights,
        item.id,
        dt.date(2026, 11, 20),
        2,
        "Many records in four systems",
        NOW,
    )
    assert item.due_on == dt.date(2027, 2, 2)
    assert item.extension_reason == "Many records in four systems"
    assert audit_actions(db, item.id)[-1] == "rights.extended"


def test_an_extension_after_the_first_month_is_refused(db, policies):
    team = actor(db)
    later = NOW + dt.timedelta(days=30)  # 20 December; first month ended 2 December
    item = service.log_request(db, team, policies.rights, request_input(), NOW)
    with pytest.raises(ValidationFailed, match="within the first month") as refused:
        handling.extend_deadline(
            db, team, policies.rights, item.id, dt.date(2026, 12, 3), 2, "Complex", later
        )
    assert refused.value.field == "told_on"
    assert item.extension_told_on is None
    assert item.due_on == dt.date(2026, 12, 2)
    with pytest.raises(ValidationFailed, match="reasons"):
        handling.extend_deadline(
            db, team, policies.rights, item.id, dt.date(2026, 11, 20), 2, " ", NOW
        )


def test_foi_extension_is_in_working_days(db, policies):
    team = actor(db)
    item = service.log_request(db, team, policies.rights, request_input(type_key="foi"), NOW)
    first = item.due_on
    handling.extend_deadline(
        db, team, policies.rights, item.id, dt.date(2026, 11, 20), 20, "Public interest test", NOW
    )
    assert item.extension_days == 20
    assert item.due_on > first


@pytest.mark.parametrize("outcome", list(Outcome))
def test_closing_records_the_outcome_and_date_sent(db, policies, outcome):
    team = actor(db)
    item = service.log_request(db, team, policies.rights, request_input(), NOW)
    if outcome is Outcome.REFUSED:  # the refusal's grounds are recorded first
        excessive = GroundInput("manifestly_excessive", "The same request each week")
        data = RefusalInput("full", (excessive,))
        refusals.record_refusal(db, team, policies.rights, item.id, data, NOW)
    handling.close_request(db, team, item.id, outcome, dt.date(2026, 11, 19), "Explained", NOW)
    assert (item.status, item.outcome, item.response_sent_on) == (
        RequestStatus.CLOSED, outcome, dt.date(2026, 11, 19)
    )  # fmt: skip
    assert audit_actions(db, item.id)[-1] == "rights.closed"
    with pytest.raises(InvalidTransition):
        handling.close_request(db, team, item.id, outcome, dt.date(2026, 11, 19), "Again", NOW)


def test_closing_is_refused_on_bad_dates_and_a_refusal_needs_a_reason(db, policies):
    team = actor(db)
    item = service.log_request(db, team, policies.rights, request_input(), NOW)
    for sent_on, message in [
        (dt.date(2026, 11, 1), "before the request"),
        (dt.date(2026, 11, 21), "today or"),
    ]:
        with pytest.raises(ValidationFailed, match=message):
            handling.close_request(db, team, item.id, Outcome.COMPLETE, sent_on, "", NOW)
    with pytest.raises(ValidationFailed, match="Enter why"):
        handling.close_request(db, team, item.id, Outcome.REFUSED, dt.date(2026, 11, 19), "", NOW)
    assert item.status is RequestStatus.OPEN


def test_closing_ends_a_paused_clock(db, policies):
    team = actor(db)
    item = service.log_request(db, team, policies.rights, request_input(), NOW)
    handling.pause_clock(
        db, team, policies.rights, item.id, PauseReason.IDENTITY, dt.date(2026, 11, 4), None, NOW
    )
    handling.close_request(
        db, team, item.id, Outcome.WITHDRAWN, dt.date(2026, 11, 18), "No ID sent", NOW
    )
    assert item.pauses[0].ended_on == dt.date(2026, 11, 18)


def test_only_the_team_changes_a_request(db, policies):
    item = service.log_request(db, actor(db), policies.rights, request_input(), NOW)
    staff = actor(db, "rights.log", role="staff")
    with pytest.raises(PermissionDenied):
        handling.close_request(db, staff, item.id, Outcome.COMPLETE, TODAY, "", NOW)
