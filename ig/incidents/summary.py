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
from ig.incidents.involved import list_involved
from ig.incidents.models import Incident, Phase, Regulator, Status
from ig.incidents.notify import duties_for
from ig.incidents.policy import IncidentsPolicy
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


def user_choices(session: Session) -> list[tuple[int, str]]:
    """Active users, by name, for choosing an action's owner."""
    rows = session.execute(
        select(User.id, User.name).where(User.is_active.is_(True)).order_by(User.name)
    )
    return [(user_id, name) for user_id, name in rows]


@dataclass(frozen=True)
class Deadline:
    due_at: dt.datetime
    text: str
    is_overdue: bool
    is_met: bool


def deadline_of(incident: Incident, now: dt.datetime) -> Deadline | None:
    """The 72-hour deadline as shown: when, how long left, whether met."""
    if incident.deadline_at is None:
        return None
    notified = incident.first_notified_at
    if notified is not None:
        late = rules.is_late(incident.deadline_at, notified)
        return Deadline(incident.deadline_at, "notified late" if late else "met", late, not late)
    text = rules.describe_time_left(incident.deadline_at, now)
    return Deadline(incident.deadline_at, text, now > incident.deadline_at, False)


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
        "type_label": policy.types.get(incident.incident_type or "", "Not yet recorded"),
        "data_labels": [policy.data_categories.get(c, c) for c in incident.data_categories],
        "people_labels": [policy.people_categories.get(c, c) for c in incident.people_categories],
        "likelihood_label": _label(policy.likelihood_labels, incident.likelihood),
        "severity_label": _label(policy.severity_labels, incident.severity),
        "duties": duties_for(policy, incident),
        "policy_version": policy.version,
        "deadline": deadline_of(incident, now),
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
