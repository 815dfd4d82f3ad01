"""Demo incidents: a dozen fictional reports in Eastmere, in every state of the register."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.db import LONDON
from ig.incidents import closure, involved, notify, service
from ig.incidents.models import Answer, Exemption, Impact, Incident, Kind, Likelihood, Recovery
from ig.incidents.notification_models import Phase, Regulator
from ig.incidents.policy import IncidentsPolicy
from ig.people.hierarchy import create_team
from ig.people.models import Team, TeamKind
from ig.people.service import (
    StaffFilter,
    find_team_by_name,
    list_staff,
    list_teams,
    subtree_team_ids,
)

HOUR = dt.timedelta(hours=1)
# (days ago, narrative, type, state, likelihood, severity, vulnerable, team): the team is
# one of the training demo's, so each story happens where the people it names work.
STORIES = [
    (2, "A social worker e-mailed a child protection plan to a foster carer with a similar name.",
     "email_wrong_recipient", "reported", 0, 0, True, "Fostering"),
    (4, "Unencrypted USB stick with a spreadsheet of home care visits lost on the bus.",
     "device_lost_stolen", "triaged", 0, 0, True, "Adults East Reviews"),
    (3, "Council tax letters for two households put in each other's envelopes.",
     "post_wrong_recipient", "graded", 3, 2, False, "Finance"),
    (9, "Phishing e-mail led to a mailbox in Adult Social Care being read by an outsider.",
     "phishing", "notified", 4, 4, True, "Adults West Assessment"),
    (20, "Subject access response sent without redacting a third party's details.",
     "failure_to_redact", "late", 3, 3, False, "Leaving Care"),
    (35, "Newsletter sent to 240 carers in the To field instead of Bcc.",
     "failure_to_use_bcc", "closed", 3, 2, False, "Adults East Assessment"),
    (60, "Printed case notes left in a meeting room at the civic centre, found by staff.",
     "paperwork_lost_stolen", "not_notified", 2, 2, False, "Early Help"),
    (80, "A near miss: the wrong attachment was spotted before the e-mail was sent.",
     "email_wrong_recipient", "near_miss", 0, 0, False, "Adults East Assessment"),
    (100, "Reported twice: the same look-up of a neighbour's record.",
     "post_wrong_recipient", "duplicate", 0, 0, False, "Adults West Reviews"),
    (120, "Reported in error: the recipient was entitled to the data.",
     "verbal_disclosure", "withdrawn", 0, 0, False, "Hospital Discharge"),
    (200, "Ransomware on a provider's server holding day-centre attendance records.",
     "ransomware", "closed", 5, 4, True, "Adults West Reviews"),
    (300, "Staff member looked up a neighbour's social care record without a reason.",
     "unauthorised_access", "closed", 5, 3, True, "Adults West Reviews"),
]  # fmt: skip


# What the IG team recorded for each notified breach, as the ICO's form asks it:
# (data categories, people categories, people, records, consequences, likelihood of
# significant consequences, containment, measures in place before), by type.
RECORDS = {
    "phishing": (
        ["basic_identifiers", "health", "adult_social_care"],
        ["service_users", "carers"],
        38,
        212,
        "Care needs and home addresses of 38 people read by an outsider: risk of targeted "
        "scams and distress.",
        Likelihood.LIKELY,
        "Mailbox password reset, sessions revoked, forwarding rule removed, sign-ins reviewed "
        "with the IT provider; people affected written to with advice on scams.",
        "Multi-factor authentication on remote access; e-mail filtering; annual phishing "
        "awareness in the data security training.",
    ),
    "failure_to_redact": (
        ["basic_identifiers", "children_social_care"],
        ["public"],
        1,
        1,
        "A neighbour's name and contact details disclosed to the requester.",
        Likelihood.NOT_LIKELY,
        "Requester asked to delete the copy and confirmed in writing; corrected response sent.",
        "Two-person check of redactions in the subject access procedure.",
    ),
    "failure_to_use_bcc": (
        ["basic_identifiers"],
        ["carers"],
        240,
        240,
        "Carers' e-mail addresses seen by each other: loss of privacy, possible unwanted contact.",
        Likelihood.NOT_LIKELY,
        "Recall attempted; recipients asked to delete the message; apology sent.",
        "Guidance on Bcc for group e-mails; newsletter list held in the mailing tool.",
    ),
    "ransomware": (
        ["basic_identifiers", "health", "adult_social_care"],
        ["service_users", "vulnerable_adults"],
        620,
        4100,
        "Day-centre attendance and health notes unavailable for a week and possibly copied.",
        Likelihood.NEUTRAL,
        "Provider's server isolated and rebuilt from backups; access keys rotated; the "
        "National Cyber Security Centre and the police told by the provider.",
        "Processor contract requires patching and offline backups; annual assurance.",
    ),
    "unauthorised_access": (
        ["basic_identifiers", "adult_social_care"],
        ["service_users"],
        1,
        1,
        "A person's care record read by a neighbour who works here: distress, loss of trust.",
        Likelihood.LIKELY,
        "Access removed; disciplinary investigation opened; the person told and apologised to.",
        "Role-based access and audit of record look-ups; the acceptable use policy.",
    ),
}
CYBER_ANSWERS = {
    "phishing": (Impact.LOW, "One mailbox closed for a day.", Recovery.COMPLETE),
    "ransomware": (
        Impact.MEDIUM,
        "Day-centre staff worked on paper for a week.",
        Recovery.COMPLETE,
    ),
}


def _teams(session: Session, actor: Actor) -> list[Team]:
    teams = list_teams(session)
    if teams:
        return teams
    for name in ("Children's Social Care", "Adult Social Care", "Revenues and Benefits"):
        if find_team_by_name(session, name) is None:
            teams.append(create_team(session, actor, name, TeamKind.SERVICE))
    return teams


def load_incidents_demo(
    session: Session,
    policy: IncidentsPolicy,
    reporter: Actor,
    officer: Actor,
    guardian: Actor,
    now: dt.datetime,
) -> None:
    """Report, triage, grade, notify and close demo incidents through the services."""
    teams = _teams(session, officer)
    first = ""
    # Oldest first, so that references rise with time.
    for number, story in enumerate(sorted(STORIES, key=lambda story: -story[0])):
        days, narrative, kind, state, likelihood, severity, vulnerable, team_name = story
        at = now - dt.timedelta(days=days)
        team = find_team_by_name(session, team_name) or teams[number % len(teams)]
        incident = service.report_incident(
            session,
            reporter,
            policy,
            service.Report(narrative, at - 3 * HOUR, at - HOUR, team.id, False),
            at,
        )  # fmt: skip
        incident.incident_type, incident.is_vulnerable = kind, vulnerable
        incident.is_confidentiality = True
        first = first or incident.reference
        grade = (likelihood, severity)
        _advance(session, policy, incident, state, grade, (officer, guardian), at, first)


def _advance(
    session: Session,
    policy: IncidentsPolicy,
    incident: Incident,
    state: str,
    grade: tuple[int, int],
    officers: tuple[Actor, Actor],
    at: dt.datetime,
    first: str,
) -> None:
    """Take a reported demo incident as far as its story's state, through the services."""
    officer, guardian = officers
    if state == "reported":
        return
    if state == "withdrawn":
        closure.withdraw_incident(session, officer, incident, "Not a breach", at + HOUR)
        return
    if state == "duplicate":
        closure.mark_duplicate(session, officer, incident, first, at)
        return
    kind = Kind.NEAR_MISS if state == "near_miss" else Kind.BREACH
    service.triage_incident(session, officer, policy, incident, kind, at, at + HOUR)
    if state in ("triaged", "near_miss"):
        return
    if incident.incident_type in RECORDS:
        _record_details(session, officer, policy, incident, at + HOUR)
    notify.grade_incident(session, officer, policy, incident, *grade, at + 2 * HOUR)
    if incident.needs_confirmation:
        notify.confirm_grading(session, guardian, policy, incident, at + 3 * HOUR)
    if state == "graded":
        closure.start_investigation(session, officer, incident, at + 4 * HOUR)
        return
    _notify_regulators(session, officer, incident, state, at)
    _tell_people_and_close(session, officer, incident, state, at)


def _notify_regulators(
    session: Session, officer: Actor, incident: Incident, state: str, at: dt.datetime
) -> None:
    """Notify the ICO (late, for the "late" story) and DHSC where graded for it, or not."""
    if state == "not_notified":
        notify.record_no_notification(session, officer, incident, "Contained the same day", at)
    else:
        late = state == "late"
        sent = at + (80 if late else 30) * HOUR
        notify.record_notification(
            session, officer, incident, Regulator.ICO, Phase.INITIAL, sent,
            f"IC-{300000 + incident.sequence}", "Initial breach report via the ICO form",
            "Scope only confirmed after the provider's forensic report" if late else "",
            sent,
        )  # fmt: skip
        if incident.is_dhsc_notifiable:
            notify.record_notification(
                session, officer, incident, Regulator.DHSC, Phase.INITIAL, sent, "",
                "Reported through the DSPT incident reporting tool", "", sent,
            )  # fmt: skip


def _tell_people_and_close(
    session: Session, officer: Actor, incident: Incident, state: str, at: dt.datetime
) -> None:
    """Art. 34: tell the people affected (or not) as each story has it; close the closed."""
    if state == "notified":
        notify.record_communication(
            session, officer, incident, True, at + 40 * HOUR,
            "Letter to each person, with advice on scams and a named contact", None, "",
            at + 40 * HOUR,
        )  # fmt: skip
    if state == "late":
        notify.record_communication(
            session, officer, incident, False, None, "", None, "", at + 90 * HOUR
        )  # fmt: skip
    if state in ("closed", "not_notified"):
        notify.record_communication(
            session, officer, incident, True, None, "", Exemption.RISK_NO_LONGER_LIKELY, "",
            at + 40 * HOUR,
        )  # fmt: skip
        closure.close_incident(
            session, officer, incident, "Human error under time pressure",
            "Check recipients before sending; refresher training for the team", at + 50 * HOUR,
        )  # fmt: skip


def _record_details(
    session: Session, officer: Actor, policy: IncidentsPolicy, incident: Incident, at: dt.datetime
) -> None:
    """Fill in the record of a breach that will be notified, as the IG team would."""
    kind = incident.incident_type or ""
    data, people, count, records, consequences, likely, containment, before = RECORDS[kind]
    impact, impact_detail, recovery = CYBER_ANSWERS.get(kind, (None, "", None))
    details = service.Details(
        incident_type=kind,
        is_confidentiality=True,
        is_integrity=False,
        is_availability=kind == "ransomware",
        is_cyber=kind in policy.cyber_types,
        is_vulnerable=incident.is_vulnerable,
        is_ongoing=False,
        data_categories=data,
        people_categories=people,
        people_count=count,
        records_count=records,
        others_told="Police (Action Fraud)" if kind in policy.cyber_types else "No one else",
        discovery="Reported by the member of staff involved the same day.",
        containment=containment,
        consequences=consequences,
        investigation_notes="",
        significant_likelihood=likely,
        org_impact=impact,
        impact_detail=impact_detail,
        recovery_time=recovery,
        preventative_measures=before,
        staff_guidance=Answer.YES,
        reported_before=Answer.NO,
    )
    service.update_details(session, officer, policy, incident, details, None, at)
    _link_staff(session, officer, incident, at)


def _link_staff(session: Session, officer: Actor, incident: Incident, at: dt.datetime) -> None:
    """The first member of staff in the incident's team, when the demo has staff."""
    team = session.get(Team, incident.team_id)
    if team is None:
        return
    on_day = incident.occurred_at.astimezone(LONDON).date()
    page = list_staff(session, StaffFilter(on_day, subtree_team_ids(team)), per_page=1)
    if page.rows and page.rows[0].staff_number:
        involved.add_staff(session, officer, incident, page.rows[0].staff_number, at)
