"""The register: filtered, sorted, paged lists, the 72-hour clocks in SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Index, Select, and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ig.audit.service import Page
from ig.auth.rules import Actor
from ig.db import LONDON
from ig.incidents.deadlines import Deadlines, DeadlineStatus, clock_facts, deadline_status
from ig.incidents.models import Incident, Kind, Status
from ig.incidents.notification_models import Notification, Phase, Regulator
from ig.incidents.report_filters import (
    GRADES,
    NOT_COUNTED,
    NOTIFIED,
    grade_case,
    open_at_clause,
    type_clause,
)
from ig.incidents.rules import OPEN_STATUSES
from ig.people.models import Team

SORTS = {
    "reported": (Incident.reported_at, Incident.id),
    "reference": (Incident.year, Incident.sequence),
    "deadline": (Incident.deadline_at, Incident.id),
    "status": (Incident.status, Incident.reported_at),
}
OPEN = [status.value for status in OPEN_STATUSES]


@dataclass(frozen=True)
class RegisterFilter:
    """What the register was asked to show; every field optional."""

    status: Status | None = None
    incident_type: str | None = None  # a code of ``types``, or report_filters.NO_TYPE
    types: tuple[str, ...] = ()  # the policy's incident types
    team_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    notifiable: bool | None = None
    overdue: bool = False
    reference: str | None = None
    kind: Kind | None = None
    # Leave out the withdrawn and the duplicates, as the IG report does.
    counted: bool = False
    grade: str | None = None  # a key of GRADES
    notified: str | None = None  # a key of NOTIFIED
    open_on: dt.date | None = None  # still open (reported, not closed) at the end of this day


# An instant a clause compares with: a value, or a parameter bound when it runs.
Instant = dt.datetime | ColumnElement[Any]


def london_midnight(day: dt.date) -> dt.datetime:
    """The UTC instant at which ``day`` starts in UK time."""
    return dt.datetime.combine(day, dt.time(), LONDON).astimezone(dt.UTC)


# The 72-hour clocks in SQL, written to agree with deadlines.deadline_status (a property test
# in tests/incidents/test_deadlines.py holds the two together on both databases). Their
# constants are written into the SQL rather than bound, so that both databases can match
# the queries to the partial indexes below, whose predicates are these same clauses.
CLOCK_STATUSES = tuple(sorted(status.value for status in OPEN_STATUSES))


def _inline(column: Any, value: Any) -> Any:
    return bindparam(None, value, type_=column.type, literal_execute=True)


def clock_runs_clause() -> Any:
    """deadlines.clock_runs: an open breach (or untriaged report) after awareness."""
    return and_(
        Incident.deadline_at.is_not(None),
        or_(Incident.kind.is_(None), Incident.kind == _inline(Incident.kind, Kind.BREACH)),
        Incident.status.in_([_inline(Incident.status, status) for status in CLOCK_STATUSES]),
    )


def initial_notification(regulator: Regulator) -> Any:
    """A notification row of the incident in hand: the initial one to ``regulator``."""
    return and_(
        Notification.incident_id == Incident.id,
        Notification.regulator == regulator,
        Notification.phase == Phase.INITIAL,
    )


def ico_pending_clause() -> Any:
    """The ICO's clock runs and waits on the grading, its confirmation or the notification."""
    return and_(
        clock_runs_clause(),
        Incident.first_notified_at.is_(None),
        Incident.decided_not_to_notify.is_(False),
        or_(
            Incident.likelihood.is_(None),
            Incident.is_ico_notifiable.is_(True),
            and_(
                Incident.needs_confirmation.is_(True),
                Incident.confirmed_at.is_(None),
                Incident.ico_override.is_(None),
            ),
        ),
    )


def dhsc_owed_clause() -> Any:
    """Graded (or overridden) for DHSC / NHS England, whether or not yet told them."""
    return and_(
        clock_runs_clause(),
        Incident.decided_not_to_notify.is_(False),
        Incident.likelihood.is_not(None),
        Incident.is_dhsc_notifiable.is_(True),
    )


def dhsc_pending_clause() -> Any:
    """Graded (or overridden) for DHSC / NHS England and not yet told them."""
    return and_(dhsc_owed_clause(), ~exists().where(initial_notification(Regulator.DHSC)))


def ico_overdue_clause(now: Instant) -> Any:
    return and_(ico_pending_clause(), Incident.deadline_at < now)


def dhsc_overdue_clause(now: Instant) -> Any:
    return and_(dhsc_pending_clause(), Incident.deadline_at < now)


def overdue_clause(now: Instant) -> Any:
    """Past a 72-hour deadline, to the ICO or to DHSC, with something still to do."""
    return or_(ico_overdue_clause(now), dhsc_overdue_clause(now))


# Few incidents are ever waiting at once, so the overdue filter and the home page's counts
# read these two small partial indexes (migration incidents_0003_overdue), not the table.
for _name, _waiting in (
    ("ix_incidents_ico_clock", ico_pending_clause()),
    ("ix_incidents_dhsc_clock", dhsc_owed_clause()),
):
    Index(_name, Incident.deadline_at, sqlite_where=_waiting, postgresql_where=_waiting)


def list_running_clocks(
    session: Session, regulator: Regulator, now: dt.datetime
) -> list[tuple[Incident, DeadlineStatus]]:
    """Incidents whose 72-hour clock to ``regulator`` still waits on something (grading,
    confirmation or the notification), before or after the deadline, with its status."""
    pending = ico_pending_clause() if regulator is Regulator.ICO else dhsc_pending_clause()
    incidents = list(session.scalars(select(Incident).where(pending).order_by(Incident.id)))
    deadlines = list_deadlines(session, incidents, now)
    return [(incident, getattr(deadlines[incident.id], regulator.value)) for incident in incidents]


def list_deadlines(
    session: Session, incidents: list[Incident], now: dt.datetime
) -> dict[int, Deadlines]:
    """The 72-hour deadlines of ``incidents`` by id, with one query for DHSC notifications."""
    sent: dict[int, dt.datetime] = {}
    if incidents:
        rows = session.execute(
            select(Notification.incident_id, func.min(Notification.sent_at))
            .where(
                Notification.incident_id.in_([incident.id for incident in incidents]),
                Notification.regulator == Regulator.DHSC,
                Notification.phase == Phase.INITIAL,
            )
            .group_by(Notification.incident_id)
        )
        sent = {incident_id: at for incident_id, at in rows}  # noqa: C416 - Row objects
    return {
        incident.id: deadline_status(clock_facts(incident, sent.get(incident.id)), now)
        for incident in incidents
    }


def notified_clause(key: str, sent: Any) -> Any:
    """The incidents the NOTIFIED filter ``key`` picks, given the condition that a
    notification (its ``sent_at``) counts: the ICO's from ``first_notified_at``."""
    if key == "dhsc":
        return exists().where(initial_notification(Regulator.DHSC), sent(Notification.sent_at))
    first = sent(Incident.first_notified_at)
    late = Incident.first_notified_at > Incident.deadline_at
    return {"ico": first, "ico_on_time": and_(first, ~late), "ico_late": and_(first, late)}[key]


def _known(column: Any) -> Any:
    return column.is_not(None)


def register_conditions(actor: Actor, filters: RegisterFilter, now: dt.datetime) -> list[Any]:
    """The WHERE conditions: the incidents the actor may see that match ``filters``."""
    where: list[Any] = []
    if not actor.can("incidents.read"):
        where.append(Incident.reporter_id == actor.user_id)
    conditions = {
        "status": lambda v: Incident.status == v,
        "incident_type": lambda v: type_clause(Incident.incident_type, v, filters.types),
        "team_id": lambda v: Incident.team_id == v,
        "date_from": lambda v: Incident.reported_at >= london_midnight(v),
        "date_to": lambda v: Incident.reported_at < london_midnight(v + dt.timedelta(days=1)),
        "notifiable": lambda v: Incident.is_ico_notifiable.is_(v),
        "reference": _reference_prefix,
        "kind": lambda v: Incident.kind == v,
    }
    for name, condition in conditions.items():
        value = getattr(filters, name)
        if value is not None and value != "":
            where.append(condition(value))
    if filters.overdue:
        where.append(overdue_clause(now))
    if filters.counted:
        where.append(Incident.status.not_in(NOT_COUNTED))
    if filters.grade in GRADES:
        where.append(grade_case(_known(Incident.graded_at)) == filters.grade)
    if filters.notified in NOTIFIED:
        where.append(notified_clause(filters.notified, _known))
    if filters.open_on is not None:
        where.extend(open_at_clause(london_midnight(filters.open_on + dt.timedelta(days=1))))
    return where


def _reference_prefix(text: str) -> Any:
    # A range the unique index can answer on both databases (LIKE cannot use it: SQLite's
    # is case-insensitive), with the LIKE kept so that only true prefixes match.
    prefix = text.strip().upper()
    following = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(
        Incident.reference >= prefix,
        Incident.reference < following,
        Incident.reference.startswith(prefix, autoescape=True),
    )


def _with_team() -> Select[Incident, str]:
    return select(Incident, Team.name.label("team_name")).join(Team, Team.id == Incident.team_id)


def register_query(
    actor: Actor, filters: RegisterFilter, now: dt.datetime
) -> Select[Incident, str]:
    """The incidents (with their team's name) the actor may see that match ``filters``."""
    return _with_team().where(*register_conditions(actor, filters, now))


def list_incidents(
    session: Session,
    actor: Actor,
    filters: RegisterFilter,
    now: dt.datetime,
    sort: str = "reported",
    descending: bool = True,
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """One page of the register: rows of (Incident, team name), in three queries."""
    conditions = register_conditions(actor, filters, now)
    # Counted on incidents alone: the join to teams changes no count and costs a scan.
    total = count_where(session, *conditions)
    columns = SORTS.get(sort, SORTS["reported"])
    order = [column.desc() if descending else column.asc() for column in columns]
    # The page's ids first, from an index alone; then only those rows in full. Skipping
    # thousands of full rows to reach a late page is what makes OFFSET slow.
    ids = list(
        session.scalars(
            select(Incident.id)
            .where(*conditions)
            .order_by(*order)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    found: dict[int, Any] = {}
    if ids:
        found = {
            row[0].id: row for row in session.execute(_with_team().where(Incident.id.in_(ids)))
        }
    return Page([found[i] for i in ids], page, per_page, total)


def count_where(session: Session, *conditions: Any) -> int:
    """How many incidents meet ``conditions`` (one query)."""
    return session.scalar(select(func.count()).select_from(Incident).where(*conditions)) or 0
