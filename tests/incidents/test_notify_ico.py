"""Recording notifications against the ICO's form, on both databases: what is refused
changes nothing; what is accepted is changed and audited; the follow-up is chased."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text

from ig.audit.models import AuditEntry
from ig.errors import InvalidTransition, ValidationFailed
from ig.incidents import ico_answers, notify, service
from ig.incidents.models import Answer, Impact, Likelihood, Recovery, Status
from ig.incidents.notification_models import Phase, Regulator
from ig.reminders.engine import run_pass
from ig.reminders.models import ReminderStatus
from tests import factories
from tests.incidents.conftest import NOW, answer_ico_form, breach, report
from tests.reminders.test_engine import about, at

HOUR = dt.timedelta(hours=1)


def audit(db, reference, action):
    query = select(AuditEntry).where(AuditEntry.record_id == reference, AuditEntry.action == action)
    return list(db.scalars(query.order_by(AuditEntry.seq)))


def record(db, officer, incident, regulator=Regulator.ICO, phase=Phase.INITIAL, **answers):
    return notify.record_notification(
        db, officer, incident, regulator, phase, NOW + HOUR, "IC-42", "Initial report", "",
        NOW + HOUR, **answers,
    )  # fmt: skip


def snapshot(db, incident):
    return (
        len(incident.notifications),
        incident.status,
        incident.first_notified_at,
        list(incident.unknown_answers),
        incident.ico_follow_up_on,
        len(audit(db, incident.reference, "incident.notified")),
    )


@pytest.mark.parametrize(
    ("incident_type", "grade", "message"),
    [
        (None, (3, 3), "record the type of incident (on the incident record) first"),
        ("email_wrong_recipient", None, "grade the incident first"),
        (None, None, "record the type of incident (on the incident record) and grade"),
    ],
)
@pytest.mark.parametrize("regulator", [Regulator.ICO, Regulator.DHSC])
def test_no_notification_while_type_or_grading_is_unset(
    db, policy, reporter, officer, team, incident_type, grade, message, regulator
):
    incident = breach(db, reporter, officer, policy, team, grade=grade)
    answer_ico_form(incident)
    incident.incident_type = incident_type
    before = snapshot(db, incident)
    with pytest.raises(InvalidTransition) as refused:
        record(db, officer, incident, regulator)
    assert message in refused.value.message
    db.flush()
    assert snapshot(db, incident) == before


def test_missing_answers_are_refused_and_nothing_changes(db, policy, reporter, officer, team):
    incident = breach(db, reporter, officer, policy, team)
    incident.incident_type = "email_wrong_recipient"
    before = snapshot(db, incident)
    with pytest.raises(ValidationFailed) as refused:
        record(db, officer, incident)
    assert refused.value.field == "not_yet_known"
    assert "How did you find out about the breach?" in refused.value.message
    assert snapshot(db, incident) == before
    assert incident.status is Status.TRIAGED


def test_not_yet_known_with_a_follow_up_date_is_recorded_and_audited(
    db, policy, reporter, officer, team
):
    incident = answer_ico_form(breach(db, reporter, officer, policy, team))
    incident.people_count = incident.records_count = None
    incident.significant_likelihood = Likelihood.NOT_KNOWN
    due = NOW.date() + dt.timedelta(days=7)
    with pytest.raises(ValidationFailed) as refused:
        record(db, officer, incident, not_yet_known=["records_count", "people_count"])
    assert refused.value.field == "follow_up_on"
    assert incident.notifications == []
    record(db, officer, incident, not_yet_known=["records_count", "people_count"], follow_up_on=due)
    assert incident.status is Status.NOTIFIED
    assert incident.unknown_answers == ["records_count", "people_count", "significant_likelihood"]
    assert incident.ico_follow_up_on == due
    (entry,) = audit(db, incident.reference, "incident.notified")
    assert entry.detail["not_yet_known"] == incident.unknown_answers
    assert entry.detail["follow_up_on"] == due.isoformat()


def test_a_full_follow_up_clears_the_date_a_partial_one_needs_a_new_one(
    db, policy, reporter, officer, team
):
    incident = answer_ico_form(breach(db, reporter, officer, policy, team))
    incident.people_count = incident.consequences = None
    due = NOW.date() + dt.timedelta(days=7)
    record(db, officer, incident, not_yet_known=["people_count", "consequences"], follow_up_on=due)
    incident.people_count = 12
    with pytest.raises(ValidationFailed) as refused:
        record(db, officer, incident, phase=Phase.FOLLOW_UP)
    assert "Potential consequences" in refused.value.message
    assert incident.ico_follow_up_on == due
    record(db, officer, incident, phase=Phase.FOLLOW_UP, not_yet_known=["consequences"],
           follow_up_on=due + dt.timedelta(days=7))  # fmt: skip
    assert incident.unknown_answers == ["consequences"]
    incident.consequences = "Distress to the families"
    record(db, officer, incident, phase=Phase.FOLLOW_UP)
    assert incident.unknown_answers == []
    assert incident.ico_follow_up_on is None
    assert [n.phase for n in incident.notifications] == [Phase.INITIAL, *[Phase.FOLLOW_UP] * 2]


def test_a_dhsc_notification_needs_type_and_grading_but_not_the_ico_answers(
    db, policy, reporter, officer, team
):
    incident = breach(db, reporter, officer, policy, team, grade=(4, 4))
    incident.incident_type = "email_wrong_recipient"
    assert ico_answers.dhsc_warning(policy, incident) is not None
    record(db, officer, incident, Regulator.DHSC)
    assert incident.unknown_answers == []
    assert ico_answers.dhsc_warning(policy, incident) is None


def test_dhsc_flag_is_lifted_by_a_recorded_reason(db, policy, reporter, officer, team):
    incident = breach(db, reporter, officer, policy, team, grade=(4, 4))
    assert "Severity 4 is at the DHSC" in ico_answers.dhsc_warning(policy, incident)
    notify.override_duties(db, officer, incident, True, False, "No health data involved", NOW)
    assert ico_answers.dhsc_warning(policy, incident) is None


def details(**changes):
    values = {
        "incident_type": "phishing",
        "is_confidentiality": True,
        "is_integrity": False,
        "is_availability": False,
        "is_cyber": True,
        "is_vulnerable": False,
        "is_ongoing": False,
        "data_categories": ["basic_identifiers"],
        "people_categories": ["staff"],
        "people_count": 3,
        "records_count": 3,
        "others_told": "",
        "discovery": "Staff reported the e-mail",
        "containment": "Passwords reset",
        "consequences": "Scams",
        "investigation_notes": "",
        "significant_likelihood": Likelihood.LIKELY,
        "org_impact": Impact.LOW,
        "impact_detail": "Gecko-impact-2291",
        "recovery_time": Recovery.COMPLETE,
        "preventative_measures": "Kakapo-measures-7130",
        "staff_guidance": Answer.YES,
        "reported_before": Answer.NO,
        "reported_before_detail": "",
    }
    return service.Details(**{**values, **changes})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"is_cyber": False, "org_impact": None, "impact_detail": "", "recovery_time": None},
         "is_cyber"),
        ({"incident_type": "ransomware", "is_cyber": False}, "is_cyber"),
        ({"incident_type": "email_wrong_recipient", "is_cyber": False}, "org_impact"),
        ({"incident_type": "email_wrong_recipient", "is_cyber": False, "org_impact": None},
         "impact_detail"),
    ],
)  # fmt: skip
def test_contradictions_are_refused_and_change_nothing(
    db, policy, reporter, officer, team, changes, field
):
    incident = breach(db, reporter, officer, policy, team)
    timeline = len(incident.timeline)
    with pytest.raises(ValidationFailed) as refused:
        service.update_details(db, officer, policy, incident, details(**changes), None, NOW)
    assert refused.value.field == field
    assert incident.incident_type is None
    assert incident.org_impact is None
    assert len(incident.timeline) == timeline
    assert audit(db, incident.reference, "incident.details_updated") == []


def test_the_new_answers_are_saved_audited_and_encrypted(db, policy, reporter, officer, team):
    incident = breach(db, reporter, officer, policy, team)
    service.update_details(db, officer, policy, incident, details(), None, NOW)
    assert incident.significant_likelihood is Likelihood.LIKELY
    assert incident.recovery_time is Recovery.COMPLETE
    (entry,) = audit(db, incident.reference, "incident.details_updated")
    assert {"significant_likelihood", "org_impact", "preventative_measures"} <= set(
        entry.detail["fields"]
    )
    db.flush()
    raw = "\n".join(
        repr(tuple(row)) for row in db.connection().execute(text("SELECT * FROM incidents"))
    )
    assert incident.reference in raw
    for secret in ("Gecko-impact-2291", "Kakapo-measures-7130"):
        assert secret.lower() not in raw.lower()
        assert secret not in "\n".join(entry.summary or "" for entry in incident.timeline)
    db.expire_all()
    again = db.get(type(incident), incident.id)
    assert (again.impact_detail, again.preventative_measures) == (
        "Gecko-impact-2291",
        "Kakapo-measures-7130",
    )


def test_the_follow_up_is_chased_then_cancelled_once_sent(db, policies, policy, reporter, team):
    officer_user = factories.make_user(db, roles=("ig_officer",))
    from ig.auth.service import actor_for

    officer = actor_for(officer_user, policies)
    incident = answer_ico_form(breach(db, reporter, officer, policy, team))
    incident.consequences = None
    due = NOW.date() + dt.timedelta(days=10)
    record(db, officer, incident, not_yet_known=["consequences"], follow_up_on=due)

    run_pass(db, policies.reminders, at(due - dt.timedelta(days=3)))
    assert about(db, "incident_follow_up", incident.id) == []
    run_pass(db, policies.reminders, at(due - dt.timedelta(days=2)))
    mine = [r for r in about(db, "incident_follow_up", incident.id)
            if r.recipient_user_id == officer_user.id]  # fmt: skip
    assert [r.stage for r in mine] == ["before-2"]
    assert mine[0].link.endswith(f"/incidents/{incident.reference}/ico-report")
    assert incident.reference in mine[0].title

    incident.consequences = "Distress"
    notify.record_notification(
        db, officer, incident, Regulator.ICO, Phase.FOLLOW_UP, at(due), "IC-42", "Follow-up",
        "", at(due),
    )  # fmt: skip
    run_pass(db, policies.reminders, at(due + dt.timedelta(days=1)))
    assert about(db, "incident_follow_up", incident.id, ReminderStatus.PENDING) == []


def test_a_report_not_yet_triaged_cannot_be_notified(db, policy, reporter, officer, team):
    incident = report(db, reporter, policy, team)
    with pytest.raises(InvalidTransition, match="triaged"):
        record(db, officer, incident)
