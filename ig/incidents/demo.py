"""Demo incidents: a dozen fictional reports in Eastmere, in every state of the register."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.incidents import closure, notify, service
from ig.incidents.models import Exemption, Incident, Kind, Phase, Regulator
from ig.incidents.policy import IncidentsPolicy
from ig.people.hierarchy import create_team
from ig.people.models import Team, TeamKind
from ig.people.service import find_team_by_name, list_teams

HOUR = dt.timedelta(hours=1)
# (days ago, narrative, type, state, likelihood, severity, vulnerable)
STORIES = [
    (2, "A social worker e-mailed a child protection plan to a foster carer with a similar name.",
     "email_wrong_recipient", "reported", 0, 0, True),
    (4, "Unencrypted USB stick with a spreadsheet of home care visits lost on the bus.",
     "device_lost_stolen", "triaged", 0, 0, True),
    (3, "Council tax letters for two households put in each other's envelopes.",
     "post_wrong_recipient", "graded", 3, 2, False),
    (9, "Phishing e-mail led to a mailbox in Adult Social Care being read by an outsider.",
     "phishing", "notified", 4, 4, True),
    (20, "Subject access response sent without redacting a third party's details.",
     "failure_to_redact", "late", 3, 3, False),
    (35, "Newsletter sent to 240 carers in the To field instead of Bcc.",
     "failure_to_use_bcc", "closed", 3, 2, False),
    (60, "Printed case notes left in a meeting room at the civic centre, found by staff.",
     "paperwork_lost_stolen", "not_notified", 2, 2, False),
    (80, "A near miss: the wrong attachment was spotted before the e-mail was sent.",
     "email_wrong_recipient", "near_miss", 0, 0, False),
    (100, "Reported twice: the same look-up of a neighbour's record.",
     "post_wrong_recipient", "duplicate", 0, 0, False),
    (120, "Reported in error: the recipient was entitled to the data.",
     "verbal_disclosure", "withdrawn", 0, 0, False),
    (200, "Ransomware on a provider's server holding day-centre attendance records.",
     "ransomware", "closed", 5, 4, True),
    (300, "Staff member looked up a neighbour's social care record without a reason.",
     "unauthorised_access", "closed", 5, 3, True),
]  # fmt: skip


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
        days, narrative, kind, state, likelihood, severity, vulnerable = story
        at = now - dt.timedelta(days=days)
        incident = service.report_incident(
            session,
            reporter,
            policy,
            service.Report(narrative, at - 3 * HOUR, at - HOUR, teams[number % len(teams)].id,
                           False),
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
    notify.grade_incident(session, officer, policy, incident, *grade, at + 2 * HOUR)
    if incident.needs_confirmation:
        notify.confirm_grading(session, guardian, policy, incident, at + 3 * HOUR)
    if state == "graded":
        closure.start_investigation(session, officer, incident, at + 4 * HOUR)
        return
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
    if state in ("closed", "not_notified"):
        notify.record_communication(
            session, officer, incident, True, None, "", Exemption.RISK_NO_LONGER_LIKELY, "",
            at + 40 * HOUR,
        )  # fmt: skip
        closure.close_incident(
            session, officer, incident, "Human error under time pressure",
            "Check recipients before sending; refresher training for the team", at + 50 * HOUR,
        )  # fmt: skip
