"""Services on a real database: each change, its refusals, its timeline and audit entries."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text

from ig.audit.models import AuditEntry
from ig.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ig.incidents import closure, involved, notify, service
from ig.incidents.action_models import ActionStatus
from ig.incidents.models import Exemption, Kind, Status
from ig.incidents.notification_models import Phase, Regulator
from ig.incidents.timeline_models import TimelineEntry
from tests import factories
from tests.incidents.conftest import NOW, answer_ico_form, breach, report

HOUR = dt.timedelta(hours=1)


def audit_actions(db, reference):
    query = select(AuditEntry.action).where(AuditEntry.record_id == reference)
    return list(db.scalars(query.order_by(AuditEntry.seq)))


def test_report_gets_a_yearly_reference_timeline_and_audit(db, policy, reporter, team):
    first = report(db, reporter, policy, team)
    second = report(db, reporter, policy, team)
    assert first.reference.startswith("INC-2026-")
    assert second.sequence == first.sequence + 1
    assert first.status is Status.REPORTED
    assert first.month == "2026-06"
    assert [e.event for e in first.timeline] == ["reported"]
    assert audit_actions(db, first.reference) == ["incident.reported"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"narrative": "  "}, "narrative"),
        ({"occurred_at": NOW + HOUR}, "occurred_at"),
        ({"found_at": NOW + HOUR}, "found_at"),
        ({"found_at": NOW - 10 * HOUR}, "found_at"),  # before it happened
        ({"team_id": 999_999}, "team_id"),
    ],
)
def test_report_refuses_bad_input(db, policy, reporter, team, change, field):
    values = {
        "narrative": "Laptop left on a train",
        "occurred_at": NOW - 5 * HOUR,
        "found_at": NOW - 2 * HOUR,
        "team_id": team.id,
        "is_ongoing": False,
    }
    with pytest.raises(ValidationFailed) as refused:
        service.report_incident(db, reporter, policy, service.Report(**{**values, **change}), NOW)
    assert refused.value.field == field


def test_triage_starts_the_72_hour_clock_and_takes_ownership(db, policy, reporter, officer, team):
    incident = report(db, reporter, policy, team)
    aware = NOW - HOUR
    service.triage_incident(db, officer, policy, incident, Kind.BREACH, aware, NOW)
    assert incident.status is Status.TRIAGED
    assert incident.deadline_at == aware + dt.timedelta(hours=72)
    assert incident.owner_id == officer.user_id
    with pytest.raises(InvalidTransition):
        service.triage_incident(db, officer, policy, incident, Kind.BREACH, aware, NOW)


def test_not_an_incident_is_withdrawn_and_can_be_triaged_again(db, policy, reporter, officer, team):
    incident = report(db, reporter, policy, team)
    service.triage_incident(db, officer, policy, incident, Kind.NOT_INCIDENT, NOW, NOW)
    assert incident.status is Status.WITHDRAWN
    closure.reopen_incident(db, officer, incident, "New information from the reporter", NOW)
    assert incident.status is Status.REPORTED
    assert incident.kind is None


def test_only_the_ig_team_triages(db, policy, reporter, team, make_actor):
    incident = report(db, reporter, policy, team)
    for roles in (("staff",), ("siro",), ("auditor",)):
        with pytest.raises(PermissionDenied):
            service.triage_incident(db, make_actor(*roles), policy, incident, Kind.BREACH, NOW, NOW)


def test_reporter_sees_own_reports_only(db, policy, reporter, team, make_actor):
    incident = report(db, reporter, policy, team)
    assert service.get_incident(db, reporter, incident.reference) is incident
    with pytest.raises(NotFound):
        service.get_incident(db, make_actor("staff"), incident.reference)
    assert service.get_incident(db, make_actor("auditor"), incident.reference.lower()) is incident
    assert service.find_incident(db, f" {incident.reference.lower()} ") is incident
    assert service.find_incident(db, "INC-1999-0001") is None


def test_grading_keeps_policy_version_floors_and_needs_confirmation(
    db, policy, reporter, officer, team, make_actor
):
    incident = breach(db, reporter, officer, policy, team, grade=None)
    incident.is_vulnerable = True
    duties = notify.grade_incident(db, officer, policy, incident, 3, 1, NOW)
    assert (incident.likelihood, incident.severity) == (3, 2)  # the floor
    assert duties.ico
    assert incident.is_ico_notifiable
    assert incident.grading_version == policy.version
    assert incident.needs_confirmation
    with pytest.raises(PermissionDenied, match="SIRO or a Caldicott Guardian"):
        notify.confirm_grading(db, officer, policy, incident, NOW)
    notify.confirm_grading(db, make_actor("siro"), policy, incident, NOW)
    assert incident.confirmed_at == NOW
    assert "incident.grading_confirmed" in audit_actions(db, incident.reference)


def test_the_grader_cannot_confirm_their_own_grading(db, policy, reporter, team, make_actor):
    both = make_actor("ig_officer", "caldicott_guardian")
    incident = breach(db, reporter, both, policy, team)
    with pytest.raises(PermissionDenied, match="Someone other"):
        notify.confirm_grading(db, both, policy, incident, NOW)


def test_override_needs_a_reason(db, policy, reporter, officer, team):
    incident = breach(db, reporter, officer, policy, team, grade=(2, 2))
    assert not incident.is_ico_notifiable
    with pytest.raises(ValidationFailed, match="reason"):
        notify.override_duties(db, officer, incident, True, False, " ", NOW)
    notify.override_duties(db, officer, incident, True, False, "Press interest; be open", NOW)
    assert incident.is_ico_notifiable
    assert incident.ico_override is True
    assert incident.override_reason == "Press interest; be open"


def _notify(db, officer, incident, sent_at, late_reason="", phase=Phase.INITIAL):
    answer_ico_form(incident)
    return notify.record_notification(
        db,
        officer,
        incident,
        Regulator.ICO,
        phase,
        sent_at,
        "IC-123456",
        "Initial report",
        late_reason,
        sent_at,
    )


def test_late_notification_without_reasons_is_refused(db, policy, reporter, officer, team):
    incident = breach(db, reporter, officer, policy, team)
    late = incident.deadline_at + HOUR
    with pytest.raises(ValidationFailed, match=r"after the 72-hour deadline.*Art\. 33\(1\)"):
        _notify(db, officer, incident, late)
    assert incident.notifications == []
    assert incident.status is Status.TRIAGED
    _notify(db, officer, incident, late, "The extent was only known on day 4")
    assert incident.status is Status.NOTIFIED
    assert incident.hours_to_notify == 73
    assert "late" in incident.timeline[-1].summary


def test_notification_phases(db, policy, reporter, officer, team):
    incident = breach(db, reporter, officer, policy, team)
    with pytest.raises(ValidationFailed, match="initial notification before"):
        _notify(db, officer, incident, NOW + HOUR, phase=Phase.FOLLOW_UP)
    _notify(db, officer, incident, NOW + HOUR)
    with pytest.raises(ValidationFailed, match="already recorded"):
        _notify(db, officer, incident, NOW + 2 * HOUR)
    # A follow-up after the deadline needs no reasons: only the first report is due in 72h.
    _notify(db, officer, incident, NOW + 100 * HOUR, phase=Phase.FOLLOW_UP)
    assert [n.phase for n in incident.notifications] == [Phase.INITIAL, Phase.FOLLOW_UP]
    assert incident.first_notified_at == NOW + HOUR
    assert incident.hours_to_notify == 1


def test_not_notifying_needs_a_reason(db, policy, reporter, officer, team):
    incident = breach(db, reporter, officer, policy, team, grade=(2, 1))
    with pytest.raises(ValidationFailed, match="reason for not notifying"):
        notify.record_no_notification(db, officer, incident, "", NOW)
    notify.record_no_notification(db, officer, incident, "Encrypted laptop, key safe", NOW)
    assert incident.no_notification_reason == "Encrypted laptop, key safe"


def test_communication_with_exemption(db, policy, reporter, officer, team):
    incident = breach(db, reporter, officer, policy, team)
    with pytest.raises(ValidationFailed) as refused:
        notify.record_communication(
            db, officer, incident, True, None, "", Exemption.DISPROPORTIONATE_EFFORT, "", NOW
        )
    assert refused.value.field == "public_communication"
    notify.record_communication(
        db, officer, incident, True, None, "", Exemption.DISPROPORTIONATE_EFFORT, "Web notice", NOW
    )
    assert incident.exemption is Exemption.DISPROPORTIONATE_EFFORT


def test_closing_with_open_actions_is_refused(db, policy, reporter, officer, team, make_actor):
    incident = breach(db, reporter, officer, policy, team)
    _notify(db, officer, incident, NOW + HOUR)
    notify.confirm_grading(db, make_actor("caldicott_guardian"), policy, incident, NOW)
    action = closure.add_action(
        db, officer, incident, "Retrain the team", officer.user_id, dt.date(2026, 7, 1), NOW
    )
    with pytest.raises(InvalidTransition, match=r"1 action\(s\) still open"):
        closure.close_incident(db, officer, incident, "Autocomplete", "Check recipients", NOW)
    assert incident.status is Status.NOTIFIED
    with pytest.raises(ValidationFailed, match="Enter the root cause"):
        closure.close_incident(db, officer, incident, "", "Check recipients", NOW)
    closure.accept_action(db, officer, incident, action.id, "Team restructured instead", NOW)
    assert action.status is ActionStatus.ACCEPTED
    closure.close_incident(db, officer, incident, "Autocomplete", "Check recipients", NOW)
    assert incident.status is Status.CLOSED
    assert incident.closed_at == NOW
    closure.reopen_incident(db, officer, incident, "ICO asked for more", NOW + HOUR)
    assert incident.status is Status.INVESTIGATING
    events = [e.event for e in incident.timeline]
    assert events[-2:] == ["closed", "reopened"]
    assert audit_actions(db, incident.reference)[-2:] == ["incident.closed", "incident.reopened"]


def test_closing_a_breach_needs_a_notification_decision(db, policy, reporter, officer, team):
    incident = breach(db, reporter, officer, policy, team, grade=(2, 2))
    with pytest.raises(InvalidTransition, match="reason for not notifying"):
        closure.close_incident(db, officer, incident, "Cause", "Lesson", NOW)
    notify.record_no_notification(db, officer, incident, "Unlikely to result in a risk", NOW)
    closure.close_incident(db, officer, incident, "Cause", "Lesson", NOW)


def test_ungraded_breach_cannot_close(db, policy, reporter, officer, team):
    incident = breach(db, reporter, officer, policy, team, grade=None)
    problems = dict(closure.closing_problems(incident))
    assert problems["grading"] == "Grade the incident before closing it"


def test_withdraw_and_duplicate(db, policy, reporter, officer, team):
    original = report(db, reporter, policy, team)
    copy = report(db, reporter, policy, team)
    with pytest.raises(ValidationFailed, match="reference of the incident"):
        closure.mark_duplicate(db, officer, copy, copy.reference, NOW)
    closure.mark_duplicate(db, officer, copy, original.reference.lower(), NOW)
    assert copy.status is Status.DUPLICATE
    assert copy.duplicate_of_id == original.id
    with pytest.raises(ValidationFailed):
        closure.withdraw_incident(db, officer, original, "", NOW)
    closure.withdraw_incident(db, officer, original, "Reported twice by mistake", NOW)
    assert original.status is Status.WITHDRAWN


def test_timeline_is_append_only(db, policy, reporter, team):
    incident = report(db, reporter, policy, team)
    entry = incident.timeline[0]
    entry.summary = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        db.flush()
    db.rollback()


def test_affected_people_found_again_by_blind_index(db, policy, reporter, officer, team):
    first = breach(db, reporter, officer, policy, team)
    second = breach(db, reporter, officer, policy, team)
    involved.add_affected_person(db, officer, first, "CS-48213", "Jamie Example", "Letter", NOW)
    earlier = involved.add_affected_person(db, officer, second, " cs-48213 ", "", "", NOW)
    assert earlier == [first.reference]
    found = involved.find_incidents_affecting(db, officer, "CS-48213", NOW)
    assert found == sorted([first.reference, second.reference])
    assert involved.find_incidents_affecting(db, officer, "CS-00000", NOW) == []
    with pytest.raises(PermissionDenied):
        involved.find_incidents_affecting(db, reporter, "CS-48213", NOW)
    looked_up = db.scalars(
        select(AuditEntry.detail).where(AuditEntry.action == "incident.person_looked_up")
    ).all()
    assert all("CS-48213" not in str(detail) for detail in looked_up)


SECRETS = {
    "narrative": "Zanzibar-narrative-7731",
    "discovery": "Quokka-discovery-5521",
    "containment": "Marmoset-containment-8812",
    "consequences": "Okapi-consequences-3390",
    "investigation_notes": "Pangolin-notes-6642",
}


def test_encrypted_fields_are_absent_from_the_raw_database(db, policy, reporter, officer, team):
    incident = report(db, reporter, policy, team, narrative=SECRETS["narrative"])
    service.triage_incident(db, officer, policy, incident, Kind.BREACH, NOW, NOW)
    for field in ("discovery", "containment", "consequences", "investigation_notes"):
        setattr(incident, field, SECRETS[field])
    incident.root_cause, incident.lessons_learned = "Axolotl-cause-1", "Narwhal-lesson-2"
    involved.add_affected_person(
        db, officer, incident, "NHS-943-476-5919", "Ada Lovelock", "Tapir-note-4410", NOW
    )
    notify.grade_incident(db, officer, policy, incident, 3, 3, NOW)
    _notify(db, officer, incident, NOW)
    incident.notifications[0].content = "Ibex-content-9902"
    db.flush()
    plaintexts = [
        *SECRETS.values(),
        "Axolotl-cause-1",
        "Narwhal-lesson-2",
        "NHS-943-476-5919",
        "Ada Lovelock",
        "Tapir-note-4410",
        "Ibex-content-9902",
    ]
    raw = db.connection()
    dump = ""
    for table in (
        "incidents",
        "incident_affected_people",
        "incident_notifications",
        "incident_timeline",
        "audit_entries",
    ):
        dump += "\n".join(repr(tuple(row)) for row in raw.execute(text(f"SELECT * FROM {table}")))
    assert incident.reference in dump  # the dump is real
    for plaintext in plaintexts:
        assert plaintext not in dump
        assert plaintext.lower() not in dump.lower()
    db.expire_all()  # and the application still reads them back
    assert db.get(type(incident), incident.id).narrative == SECRETS["narrative"]


def test_reading_detail_is_audited(db, policy, reporter, officer, team):
    incident = report(db, reporter, policy, team)
    service.note_detail_viewed(db, officer, incident, "incident page", NOW)
    entry = db.scalars(
        select(AuditEntry).where(AuditEntry.action == "incident.detail_viewed")
    ).one()
    assert entry.record_id == incident.reference
    assert entry.actor_id == officer.user_id


def test_details_update_records_changed_fields_only(db, policy, reporter, officer, team):
    incident = breach(db, reporter, officer, policy, team)
    details = service.Details(
        incident_type="email_wrong_recipient",
        is_confidentiality=True,
        is_integrity=False,
        is_availability=False,
        is_cyber=False,
        is_vulnerable=True,
        is_ongoing=False,
        data_categories=["health", "children_social_care"],
        people_categories=["children"],
        people_count=3,
        records_count=12,
        others_told="",
        discovery="Recipient rang",
        containment="Recall requested",
        consequences="Distress",
        investigation_notes="",
    )
    service.update_details(db, officer, policy, incident, details, incident.version, NOW)
    assert incident.timeline[-1].event == "details_updated"
    assert "discovery" in incident.timeline[-1].summary
    assert "Recipient rang" not in incident.timeline[-1].summary
    bad = service.Details(**{**vars(details), "data_categories": ["made_up"]})
    with pytest.raises(ValidationFailed) as refused:
        service.update_details(db, officer, policy, incident, bad, incident.version, NOW)
    assert refused.value.field == "data_categories"


def test_action_assigns_training_to_staff_involved(db, policy, reporter, officer, team):
    incident = breach(db, reporter, officer, policy, team)
    person = factories.make_staff(db, team=team)
    with pytest.raises(ValidationFailed, match="Add the staff involved"):
        closure.add_action(
            db,
            officer,
            incident,
            "Refresher",
            officer.user_id,
            dt.date(2026, 7, 1),
            NOW,
            course_code="DSA",
        )
    involved.add_staff(db, officer, incident, person.staff_number, NOW)
    action = closure.add_action(
        db,
        officer,
        incident,
        "Refresher",
        officer.user_id,
        dt.date(2026, 7, 1),
        NOW,
        course_code="DSA",
    )
    assert len(action.assignment_ids) == 1
    progress = closure.training_progress(db, incident)[action.id]
    assert progress.outstanding_staff_ids == (person.id,)
    with pytest.raises(ValidationFailed, match="1 of 1 people have not yet completed"):
        closure.complete_action(db, officer, incident, action.id, dt.date(2026, 6, 20), NOW)
    factories.make_completion(db, person, "DSA", dt.date(2026, 6, 15))
    closure.complete_action(db, officer, incident, action.id, dt.date(2026, 6, 20), NOW)
    assert action.status is ActionStatus.DONE


def test_action_assigns_training_to_the_team(db, policy, reporter, officer, team):
    incident = breach(db, reporter, officer, policy, team)
    people = [factories.make_staff(db, team=team) for _ in range(3)]
    action = closure.add_action(
        db,
        officer,
        incident,
        "Team refresher",
        officer.user_id,
        dt.date(2026, 7, 1),
        NOW,
        course_code="DSA",
        assign_to="team",
    )
    progress = closure.training_progress(db, incident)[action.id]
    assert set(progress.outstanding_staff_ids) == {p.id for p in people}


def test_staff_involved_shown_with_training_on_the_day(db, policy, reporter, officer, team):
    incident = breach(db, reporter, officer, policy, team)
    person = factories.make_staff(db, team=team)
    with pytest.raises(ValidationFailed, match="no member of staff"):
        involved.add_staff(db, officer, incident, "NOPE", NOW)
    involved.add_staff(db, officer, incident, person.staff_number, NOW)
    with pytest.raises(ValidationFailed, match="already listed"):
        involved.add_staff(db, officer, incident, person.staff_number, NOW)
    [person_involved] = involved.list_involved(db, incident)
    assert person_involved.staff.id == person.id
    assert {row.course_code for row in person_involved.training} >= {"DSA"}


def test_timeline_rows_never_deleted_through_the_orm(db, policy, reporter, team):
    incident = report(db, reporter, policy, team)
    db.delete(
        db.scalars(select(TimelineEntry).where(TimelineEntry.incident_id == incident.id)).one()
    )
    with pytest.raises(ValueError, match="append-only"):
        db.flush()
    db.rollback()


@pytest.mark.parametrize(
    ("description", "message"),
    [("  ", "Describe the action"), ("x" * 501, "500 characters or fewer")],
)
def test_an_action_without_a_description_or_with_too_long_a_one_is_refused(
    db, policy, reporter, officer, team, description, message
):
    incident = breach(db, reporter, officer, policy, team)
    with pytest.raises(ValidationFailed, match=message) as refused:
        closure.add_action(
            db, officer, incident, description, officer.user_id, dt.date(2026, 7, 1), NOW
        )
    assert refused.value.field == "description"
    assert incident.actions == []


def test_an_actions_description_is_stored_encrypted(db, policy, reporter, officer, team):
    incident = breach(db, reporter, officer, policy, team)
    action = closure.add_action(
        db, officer, incident, "Ring Mrs Example back", officer.user_id, dt.date(2026, 7, 1), NOW
    )
    stored = db.execute(
        text("SELECT description FROM incident_actions WHERE id = :id"), {"id": action.id}
    ).scalar_one()
    assert stored.startswith("v2:")
    assert "Example" not in stored
    db.expire(action)
    assert action.description == "Ring Mrs Example back"
