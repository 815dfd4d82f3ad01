"""Incidents in any state of their 72-hour clocks, written straight to the database.

The deadline tests need states that the services reach only through many steps (or, for
the property test, any mix of the facts the rule reads), so these rows are built as the
services would leave them: the deadline 72 hours after awareness, the first ICO
notification on the incident and each notification as its own row.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ig.incidents import rules
from ig.incidents.models import Incident, Kind, Status
from ig.incidents.notification_models import Notification, Phase, Regulator
from ig.incidents.policy import IncidentsPolicy

_sequence = itertools.count(1)


@dataclass(frozen=True)
class State:
    """The facts of one incident, times as hours from a reference instant."""

    kind: Kind | None = Kind.BREACH
    status: Status = Status.TRIAGED
    aware: int | None = 0
    graded: bool = False
    ico: bool = False
    dhsc: bool = False
    needs_confirmation: bool = False
    confirmed: bool = False
    overridden: bool = False
    no_notification_reason: bool = False
    ico_sent: int | None = None
    dhsc_sent: int | None = None
    dhsc_follow_up_only: bool = False


def make_incident(
    db: Session, policy: IncidentsPolicy, team_id: int, state: State, base: dt.datetime
) -> Incident:
    """An incident in ``state`` (hours counted from ``base``), flushed."""
    hours = dt.timedelta(hours=1)
    aware = None if state.aware is None else base + state.aware * hours
    reported = (aware or base) - hours
    number = next(_sequence)
    incident = Incident(
        reference=f"CLK-{number:06d}",
        year=1900 + number // 10_000,
        sequence=number,
        month=reported.strftime("%Y-%m"),
        status=state.status,
        kind=state.kind,
        narrative="A test incident",
        occurred_at=reported - 3 * hours,
        found_at=reported - 2 * hours,
        reported_at=reported,
        team_id=team_id,
        data_categories=[],
        people_categories=[],
        aware_at=aware,
        deadline_at=None if aware is None else rules.notification_deadline(policy, aware),
        likelihood=3 if state.graded else None,
        severity=(4 if state.dhsc else 2) if state.graded else None,
        is_ico_notifiable=state.ico,
        is_dhsc_notifiable=state.dhsc,
        needs_confirmation=state.needs_confirmation,
        confirmed_at=base if state.confirmed else None,
        ico_override=state.ico if state.overridden else None,
        dhsc_override=state.dhsc if state.overridden else None,
        no_notification_reason="Contained before anyone read it"
        if state.no_notification_reason
        else "",
    )
    if state.ico_sent is not None:
        incident.first_notified_at = base + state.ico_sent * hours
        incident.notifications.append(
            _sent(Regulator.ICO, Phase.INITIAL, incident.first_notified_at)
        )
    if state.dhsc_sent is not None:
        phase = Phase.FOLLOW_UP if state.dhsc_follow_up_only else Phase.INITIAL
        incident.notifications.append(_sent(Regulator.DHSC, phase, base + state.dhsc_sent * hours))
    db.add(incident)
    db.flush()
    return incident


def _sent(regulator: Regulator, phase: Phase, at: dt.datetime) -> Notification:
    return Notification(regulator=regulator, phase=phase, sent_at=at, content="Sent")
