"""The incident sources' 72-hour clocks: the ICO's whatever the grading, DHSC's where the
grading requires it, a reminder once the deadline has passed, and none for a near miss or
a settled grading."""

from __future__ import annotations

import datetime as dt

import pytest

from ig.incidents.models import Kind
from ig.incidents.notification_models import Notification, Phase, Regulator
from ig.reminders.engine import run_pass
from ig.reminders.models import ReminderStatus
from tests.factories import make_team, make_user
from tests.incidents.clocks import State, make_incident
from tests.reminders.test_engine import about

AWARE = dt.datetime(2026, 11, 20, 16, 30, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def officer(db):
    return make_user(db, roles=("ig_officer",))


@pytest.fixture
def team(db):
    return make_team(db)


def stages(db, record_type, incident, officer):
    found = about(db, record_type, incident.id)
    return sorted(r.stage for r in found if r.recipient_user_id == officer.id)


def test_an_ungraded_breach_is_reminded_and_again_once_the_deadline_passes(
    db, policies, officer, team
):
    incident = make_incident(db, policies.incidents, team.id, State(), AWARE)
    for hours in (24, 48, 60):
        run_pass(db, policies.reminders, AWARE + hours * HOUR)
    assert stages(db, "incident", incident, officer) == ["after-24h", "after-48h", "after-60h"]
    run_pass(db, policies.reminders, AWARE + 80 * HOUR)
    assert stages(db, "incident", incident, officer) == [
        "after-24h", "after-48h", "after-60h", "after-72h",
    ]  # fmt: skip
    (passed,) = [r for r in about(db, "incident", incident.id) if r.stage == "after-72h"]
    assert passed.title.endswith("notifying the ICO: deadline passed, not yet graded")
    assert passed.link == f"/incidents/{incident.reference}"


def test_a_grading_below_the_threshold_awaiting_confirmation_is_still_reminded(
    db, policies, officer, team
):
    waiting = State(graded=True, needs_confirmation=True)
    incident = make_incident(db, policies.incidents, team.id, waiting, AWARE)
    run_pass(db, policies.reminders, AWARE + 73 * HOUR)
    (reminder,) = [r for r in about(db, "incident", incident.id) if r.stage == "after-72h"]
    assert reminder.title.endswith("deadline passed, grading below the threshold not yet confirmed")

    incident.confirmed_at = AWARE + 74 * HOUR  # confirmed: not notifiable, the clock ends
    db.flush()
    run_pass(db, policies.reminders, AWARE + 75 * HOUR)
    assert about(db, "incident", incident.id, ReminderStatus.PENDING) == []


@pytest.mark.parametrize(
    "state",
    [
        State(kind=Kind.NEAR_MISS),
        State(graded=True),  # below the threshold; the policy needs no confirmation
        State(no_notification_reason=True),
        State(graded=True, ico=True, ico_sent=10),
    ],
)
def test_no_reminder_where_the_clock_does_not_run_or_has_ended(db, policies, officer, team, state):
    incident = make_incident(db, policies.incidents, team.id, state, AWARE)
    run_pass(db, policies.reminders, AWARE + 80 * HOUR)
    assert about(db, "incident", incident.id) == []
    assert about(db, "incident_dhsc", incident.id) == []


def test_dhsc_is_reminded_until_its_notification_is_recorded(db, policies, officer, team):
    serious = State(graded=True, ico=True, dhsc=True, ico_sent=10)
    incident = make_incident(db, policies.incidents, team.id, serious, AWARE)
    for hours in (25, 50):
        run_pass(db, policies.reminders, AWARE + hours * HOUR)
    assert stages(db, "incident_dhsc", incident, officer) == ["after-24h", "after-48h"]
    assert about(db, "incident", incident.id) == []  # the ICO was told in time
    run_pass(db, policies.reminders, AWARE + 73 * HOUR)
    (passed,) = [r for r in about(db, "incident_dhsc", incident.id) if r.stage == "after-72h"]
    assert passed.title.endswith("notifying DHSC / NHS England: deadline passed, not yet notified")

    incident.notifications.append(
        Notification(
            regulator=Regulator.DHSC, phase=Phase.INITIAL, sent_at=AWARE + 74 * HOUR, content="x"
        )
    )
    db.flush()
    run_pass(db, policies.reminders, AWARE + 75 * HOUR)
    assert about(db, "incident_dhsc", incident.id, ReminderStatus.PENDING) == []
