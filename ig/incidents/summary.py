"""What the incident pages show: labels, duties, deadline and permission flags, ready to render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.auth.models import User
from ig.auth.rules import Actor
from ig.incidents import rules
from ig.incidents.closure import closing_problems, training_progress
from ig.incidents.deadlines import Clock, Deadlines, DeadlineStatus, clock_facts, deadline_status
from ig.incidents.involved import list_involved
from ig.incidents.models import Incident, Kind, Status
from ig.incidents.notification_models import Phase, Regulator
from ig.incidents.notify import duties_for
from ig.incidents.policy import IncidentsPolicy
from ig.incidents.register import list_deadlines
from ig.people.models import Team

EXEMPTIONS = {
    "unintelligible": "Data unintelligible to others (Art. 34(3)(a))",
    "risk_no_longer_likely": "High risk no longer likely (Art. 34(3)(b))",
    "disproportionate_effort": "Disproportionate effort; public communication (Art. 34(3)(c))",
}


def user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Names of the given users, in one query."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.name).where(User.id.in_(wanted)))
    return {user_id: name for user_id, name in rows}  # noqa: C416 - rows are Row objects


def names_by_label(session: Session, labels: Iterable[str]) -> dict[str, str]:
    """Users' names by the label (their e-mail address) the timeline recorded, in one
    query, so that pages name people; a label that is no user's stays as it is."""
    wanted = set(labels)
    if not wanted:
        return {}
    rows = session.execute(select(User.email, User.name).where(User.email.in_(wanted)))
    return {email: name for email, name in rows}  # noqa: C416 - rows are Row objects


KIND_LABELS = {"breach": "Breach", "near_miss": "Near miss", "not_incident": "Not an incident"}
NOT_TRIAGED = "Not yet triaged"


@dataclass(frozen=True)
class DeadlineLine:
    """One regulator's deadline on the incident page, ready to show."""

    label: str
    status: DeadlineStatus


def deadlines_of(incident: Incident, now: dt.datetime) -> Deadlines:
    """The ICO's and DHSC's 72-hour deadlines; the incident's notifications must be loaded."""
    dhsc_sent = min(
        (
            n.sent_at
            for n in incident.notifications
            if n.regulator is Regulator.DHSC and n.phase is Phase.INITIAL
        ),
        default=None,
    )
    return deadline_status(clock_facts(incident, dhsc_sent), now)


def deadline_lines(deadlines: Deadlines, short: bool = False) -> list[DeadlineLine]:
    """The lines shown: the ICO's whenever a clock ran, DHSC's where it applies (on the
    register, where the grading says so; on the page, also while it waits on the grading)."""
    ico, dhsc = deadlines.ico, deadlines.dhsc
    lines = []
    if ico.clock is not Clock.NONE:
        lines.append(DeadlineLine("ICO" if short else "Notifying the ICO", ico))
    shown = dhsc.clock not in (Clock.NONE, Clock.NOT_REQUIRED)
    if shown and not (short and dhsc.due_at is None):
        lines.append(DeadlineLine("DHSC" if short else "Notifying DHSC / NHS England", dhsc))
    return lines


def register_deadlines(
    session: Session, incidents: list[Incident], now: dt.datetime
) -> dict[int, list[DeadlineLine]]:
    """The register's deadline column for one page of incidents, by id (one query)."""
    found = list_deadlines(session, incidents, now)
    return {incident_id: deadline_lines(d, short=True) for incident_id, d in found.items()}


def incident_view(
    session: Session, actor: Actor, policy: IncidentsPolicy, incident: Incident, now: dt.datetime
) -> dict[str, Any]:
    """Everything the incident page, the ICO report and the printable view show."""
    users = user_names(
        session,
        [
            incident.reporter_id,
            incident.owner_id,
            incident.graded_by_id,
            incident.confirmed_by_id,
            *(a.owner_id for a in incident.actions),
        ],
    )
    team = session.get(Team, incident.team_id)
    return {
        "incident": incident,
        "team_name": team.name if team else "",
        "users": users,
        "timeline_names": names_by_label(session, (e.actor_label for e in incident.timeline)),
        "type_label": policy.types.get(incident.incident_type or "", "Not yet recorded"),
        "data_labels": [policy.data_categories.get(c, c) for c in incident.data_categories],
        "people_labels": [policy.people_categories.get(c, c) for c in incident.people_categories],
        "likelihood_label": _label(policy.likelihood_labels, incident.likelihood),
        "severity_label": _label(policy.severity_labels, incident.severity),
        "duties": duties_for(policy, incident),
        "policy_version": policy.version,
        **_deadline_values(incident, now),
        "involved": list_involved(session, incident),
        "progress": training_progress(session, incident),
        "closing_problems": closing_problems(incident),
        "exemption_label": EXEMPTIONS.get(incident.exemption.value) if incident.exemption else "",
        "ico_notifications": [n for n in incident.notifications if n.regulator is Regulator.ICO],
        "initial_ico": next(
            (
                n
                for n in incident.notifications
                if n.regulator is Regulator.ICO and n.phase is Phase.INITIAL
            ),
            None,
        ),
        "can": _flags(actor, policy, incident),
    }


def _deadline_values(incident: Incident, now: dt.datetime) -> dict[str, Any]:
    deadlines = deadlines_of(incident, now)
    return {
        "deadlines": deadlines,
        "deadline_lines": deadline_lines(deadlines),
        # The printable view's one line: the ICO's deadline, where a clock ran.
        "deadline": deadlines.ico if deadlines.ico.due_at else None,
        "kind_label": KIND_LABELS.get(incident.kind.value, "") if incident.kind else NOT_TRIAGED,
        "is_near_miss": incident.kind is Kind.NEAR_MISS,
    }


def _label(labels: tuple[str, ...], grade: int | None) -> str:
    return f"{grade}: {labels[grade - 1]}" if grade else "Not graded"


def _flags(actor: Actor, policy: IncidentsPolicy, incident: Incident) -> dict[str, bool]:
    manage = actor.can("incidents.manage")
    status = incident.status
    return {
        "manage": manage,
        "read": actor.can("incidents.read"),
        "triage": manage and status is Status.REPORTED,
        "work": manage and status in (Status.TRIAGED, Status.INVESTIGATING, Status.NOTIFIED),
        "investigate": manage and status is Status.TRIAGED,
        "withdraw": manage and Status.WITHDRAWN in rules.TRANSITIONS[status],
        "reopen": manage and status in (Status.CLOSED, Status.WITHDRAWN, Status.DUPLICATE),
        "confirm": (
            actor.can("incidents.grade_confirm")
            and actor.has_role(*policy.confirm_roles)
            and incident.needs_confirmation
            and incident.confirmed_at is None
            and incident.graded_by_id != actor.user_id
        ),
    }
