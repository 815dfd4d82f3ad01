"""The rule sources of the other registers: each queues at the right times, for the right
people, and completing the thing cancels what was still waiting to go."""

from __future__ import annotations

import datetime as dt

import pytest

from ig.auth.rules import Actor
from ig.caldicott.models import RequestStatus
from ig.incidents import closure, notify
from ig.incidents import service as incidents
from ig.incidents.models import Kind
from ig.people.models import TeamManager
from ig.reminders.engine import run_pass
from ig.reminders.models import ReminderStatus
from ig.sharing.lifecycle import terminate_agreement
from ig.training.rules import expires_on
from tests.factories import (
    make_caldicott_request,
    make_completion,
    make_organisation,
    make_sharing_agreement,
    make_staff,
    make_team,
    make_user,
)
from tests.reminders.test_engine import about, at

IG = Actor(
    None,
    "test",
    frozenset({"ig_officer"}),
    frozenset({"incidents.manage", "sharing.manage", "sharing.sign"}),
)


def stages_for(reminders, *users):
    ids = {user.id for user in users}
    return sorted((r.recipient_user_id, r.stage) for r in reminders if r.recipient_user_id in ids)


@pytest.fixture
def officer(db):
    return make_user(db, roles=("ig_officer",))


def test_training_expiring_then_completed_cancels_the_reminder(db, policies):
    user = make_user(db)
    team = make_team(db)
    manager = make_user(db, roles=("manager",))
    db.add(TeamManager(team_id=team.id, user_id=manager.id))
    person = make_staff(db, team=team, user_id=user.id)
    done = make_completion(db, person, "DSA", dt.date(2026, 2, 1))
    expiry = expires_on(policies.training.courses["DSA"], done.completed_on)
    record = f"{person.id}:DSA"

    run_pass(db, policies.reminders, at(expiry - dt.timedelta(days=31)))
    assert about(db, "training", record) == []
    run_pass(db, policies.reminders, at(expiry - dt.timedelta(days=6)))
    (reminder,) = about(db, "training", record)
    assert (reminder.recipient_user_id, reminder.stage) == (user.id, "before-7")
    assert reminder.title == f"Data security awareness ({person.name})"

    make_completion(db, person, "DSA", expiry - dt.timedelta(days=5))
    run_pass(db, policies.reminders, at(expiry - dt.timedelta(days=4)))
    assert reminder.status is ReminderStatus.CANCELLED
    assert about(db, "training", record, ReminderStatus.PENDING) == []


def test_overdue_training_goes_to_the_person_and_weekly_to_their_manager(db, policies):
    top = make_team(db, kind="directorate")
    team = make_team(db, parent=top)
    manager = make_user(db, roles=("manager",))
    db.add(TeamManager(team_id=top.id, user_id=manager.id))
    person = make_staff(
        db, team=team, work_email="no.account@eastmere.example", started_on=dt.date(2026, 1, 5)
    )
    now = at(dt.date(2026, 11, 18))  # a Wednesday; DSA was due 28 days after starting
    run_pass(db, policies.reminders, now)
    reminders = about(db, "training", f"{person.id}:DSA")
    by_rule = {r.rule: r for r in reminders}
    assert by_rule["training_due"].recipient_key == "no.account@eastmere.example"
    assert by_rule["training_due"].stage == "overdue"
    weekly = by_rule["training_overdue_team"]
    assert weekly.recipient_user_id == manager.id
    assert weekly.delivery == "weekly_digest"
    assert weekly.send_after == dt.datetime(2026, 11, 23, 7, tzinfo=dt.UTC)  # Monday 07:00


def test_incident_clock_reminds_the_ig_team_at_24_48_and_60_hours(db, policies, officer):
    reporter = make_user(db)
    team = make_team(db)
    aware = dt.datetime(2026, 11, 20, 16, 30, tzinfo=dt.UTC)
    report = incidents.Report(
        "A letter went to the wrong address",
        aware - dt.timedelta(hours=2),
        aware - dt.timedelta(hours=1),
        team.id,
        False,
    )
    actor = Actor(reporter.id, reporter.email, frozenset(), frozenset({"incidents.report"}))
    incident = incidents.report_incident(db, actor, policies.incidents, report, aware)
    incidents.triage_incident(db, IG, policies.incidents, incident, Kind.BREACH, aware, aware)
    expected = {
        23: [],
        24: ["after-24h"],
        47: ["after-24h"],
        48: ["after-24h", "after-48h"],
        60: ["after-24h", "after-48h", "after-60h"],
    }
    for hours, stages in expected.items():
        run_pass(db, policies.reminders, aware + dt.timedelta(hours=hours))
        found = stages_for(about(db, "incident", incident.id), officer)
        assert found == [(officer.id, stage) for stage in stages], hours

    notify.record_no_notification(db, IG, incident, "Recovered unopened", aware)
    run_pass(db, policies.reminders, aware + dt.timedelta(hours=61))
    assert about(db, "incident", incident.id, ReminderStatus.PENDING) == []


def test_an_overdue_incident_action_goes_to_its_owner_then_the_ig_team(db, policies, officer):
    owner = make_user(db)
    team = make_team(db)
    now = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
    report = incidents.Report(
        "Laptop left on a train",
        now - dt.timedelta(hours=3),
        now - dt.timedelta(hours=2),
        team.id,
        False,
    )
    incident = incidents.report_incident(db, IG, policies.incidents, report, now)
    incidents.triage_incident(db, IG, policies.incidents, incident, Kind.BREACH, now, now)
    due = dt.date(2026, 11, 10)
    action = closure.add_action(db, IG, incident, "Encrypt all laptops", owner.id, due, now)
    run_pass(db, policies.reminders, at(due - dt.timedelta(days=4)))
    assert about(db, "incident_action", action.id) == []
    run_pass(db, policies.reminders, at(due + dt.timedelta(days=1)))
    assert stages_for(about(db, "incident_action", action.id), owner) == [(owner.id, "overdue")]
    run_pass(db, policies.reminders, at(due + dt.timedelta(days=8)))
    assert (officer.id, "escalated") in stages_for(about(db, "incident_action", action.id), officer)
    closure.complete_action(
        db, IG, incident, action.id, due + dt.timedelta(days=8), at(due + dt.timedelta(days=8))
    )
    run_pass(db, policies.reminders, at(due + dt.timedelta(days=8), hour=10))
    assert about(db, "incident_action", action.id, ReminderStatus.PENDING) == []


def test_agreement_review_reminds_the_ig_team_and_termination_cancels(db, policies, officer):
    agreement = make_sharing_agreement(db, policies.sharing, make_organisation(db))
    review = agreement.review_on
    run_pass(db, policies.reminders, at(review - dt.timedelta(days=61)))
    assert about(db, "agreement", agreement.id) == []
    run_pass(db, policies.reminders, at(review - dt.timedelta(days=10)))
    (reminder,) = [
        r for r in about(db, "agreement", agreement.id) if r.recipient_user_id == officer.id
    ]
    assert (reminder.rule, reminder.stage, reminder.delivery) == (
        "agreement_review_due",
        "before-14",
        "daily_digest",
    )
    today = review - dt.timedelta(days=9)
    terminate_agreement(db, IG, agreement, today, "Service decommissioned", today)
    run_pass(db, policies.reminders, at(today))
    assert reminder.status is ReminderStatus.CANCELLED


def test_caldicott_review_reminds_the_guardian(db, policies):
    guardian = make_user(db, roles=("caldicott_guardian",))
    request = make_caldicott_request(db, make_user(db))
    review = dt.date(2027, 5, 1)
    request.status, request.review_on = RequestStatus.DECIDED, review
    db.flush()
    run_pass(db, policies.reminders, at(review - dt.timedelta(days=31)))
    assert about(db, "caldicott_request", request.id) == []
    run_pass(db, policies.reminders, at(review - dt.timedelta(days=20)))
    assert stages_for(about(db, "caldicott_request", request.id), guardian) == [
        (guardian.id, "before-30")
    ]
