"""The incidents section of the IG report, aggregated in SQL (a few queries at any size).

The incidents of a period are those reported in it (the register's "reported from / to"
filter, so each figure links to its records). A fact about them counts only once it had
been recorded by ``period.recorded_by``: a grading by when it was made, a notification by
when it was sent, a closure by when it was closed. Without ``recorded_by`` ("as now
known") every fact recorded since counts too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import String, and_, case, exists, func, literal, select, type_coerce
from sqlalchemy.orm import Session

from ig.audit.recorded import value_then
from ig.feature import Figure, ReportPeriod, Section, date_boxes
from ig.incidents.action_figures import actions_overdue
from ig.incidents.dashboard import AGE_BANDS, UNTYPED
from ig.incidents.models import Incident
from ig.incidents.notification_models import Notification, Regulator
from ig.incidents.policy import IncidentsPolicy
from ig.incidents.register import initial_notification, london_midnight, notified_clause
from ig.incidents.report_filters import (
    GRADES,
    NO_TYPE,
    NOT_COUNTED,
    grade_case,
    open_at_clause,
    type_clause,
)
from ig.incidents.timeline import STATUS_EVENTS
from ig.policies import Policies

DETAILS = ("incident.details_updated",)

# Each grade's definition, after "Incidents reported in the period ...".
GRADE_MEANINGS = {
    "dhsc": "graded as reportable to both the ICO and DHSC",
    "ico": "graded as reportable to the ICO but not to DHSC",
    "graded": "graded as reportable to neither regulator",
    "ungraded": "not yet graded",
}
# Days an incident has been open at the end of the period, for each of AGE_BANDS.
AGE_LIMITS = (7, 30, 90)
READ = "incidents.read"


def _dates(period: ReportPeriod) -> dict[str, Any]:
    """The register's filter for the period's counted incidents: reported from / to its
    dates, the withdrawn and duplicates left out."""
    return {
        "date_from": date_boxes(period.start),
        "date_to": date_boxes(period.end),
        "counted": "y",
    }


def _then(period: ReportPeriod, actions: tuple[str, ...], key: str, current: Any) -> Any:
    """The incident's ``key`` as recorded by ``period.recorded_by`` (see value_then)."""
    return value_then("incident", Incident.reference, actions, key, period.recorded_by, current)


def _counted(period: ReportPeriod) -> Any:
    """Not withdrawn, nor found a duplicate, as recorded then."""
    status = _then(period, STATUS_EVENTS, "status", type_coerce(Incident.status, String))
    return status.not_in([s.value for s in NOT_COUNTED])


def _in_period(period: ReportPeriod) -> list[Any]:
    return [
        Incident.reported_at >= period.start_at,
        Incident.reported_at < period.end_at,
        _counted(period),
        period.known(Incident.reported_at),
    ]


def _by_type(session: Session, policy: IncidentsPolicy, period: ReportPeriod) -> list[Figure]:
    recorded = _then(period, DETAILS, "incident_type", Incident.incident_type)
    kind = case((type_clause(recorded, NO_TYPE, policy.types), literal(NO_TYPE)), else_=recorded)
    rows = session.execute(
        select(kind, func.count()).where(*_in_period(period)).group_by(kind)
    ).all()
    found: dict[str | None, int] = {kind: n for kind, n in rows}  # noqa: C416 - typed
    labels = {**policy.types, NO_TYPE: UNTYPED}
    meanings = {code: f"whose type is “{label}”" for code, label in policy.types.items()}
    meanings[NO_TYPE] = "whose type has not been recorded"
    return [
        Figure(
            f"incidents.type.{code}",
            labels[code],
            found.get(code, 0),
            f"Incidents reported in the period {meaning}.",
            group="By type",
            endpoint="incidents.index",
            args={**_dates(period), "incident_type": code},
            permission=READ,
        )
        for code, meaning in meanings.items()
    ]


def _by_grade(session: Session, period: ReportPeriod) -> list[Figure]:
    grade = grade_case(period.known(Incident.graded_at))
    found: dict[str, int] = dict(
        session.execute(
            select(grade, func.count()).where(*_in_period(period)).group_by(grade)
        ).all()
    )
    return [
        Figure(
            f"incidents.grade.{key}",
            label,
            found.get(key, 0),
            "Incidents reported in the period and, on the NHS likelihood by severity grid, "
            f"{GRADE_MEANINGS[key]}.",
            group="By grade",
            endpoint="incidents.index",
            args={**_dates(period), "grade": key},
            permission=READ,
        )
        for key, label in GRADES.items()
    ]


def _notified_link(period: ReportPeriod, key: str) -> dict[str, Any]:
    """A figure's link to the period's incidents the register's NOTIFIED ``key`` picks."""
    return {
        "endpoint": "incidents.index",
        "args": {**_dates(period), "notified": key},
        "permission": READ,
    }


def _headline(session: Session, period: ReportPeriod) -> Any:
    """The period's headline counts in one pass over its incidents, so that each one's
    status as recorded then is looked up once: reported, notified to the ICO and to DHSC
    (an initial notification sent by then), and the ICO notifications' timeliness."""

    def told(regulator: Regulator) -> Any:
        return exists().where(initial_notification(regulator), period.known(Notification.sent_at))

    def notified(key: str) -> Any:
        return notified_clause(key, period.known)

    ico = notified("ico")
    return session.execute(
        select(
            func.count(),
            func.count(case((told(Regulator.ICO), 1))),
            func.count(case((told(Regulator.DHSC), 1))),
            func.avg(case((ico, Incident.hours_to_notify))),
            func.count(case((and_(ico, notified("ico_on_time")), 1))),
            func.count(case((and_(ico, notified("ico_late")), 1))),
        ).where(*_in_period(period))
    ).one()


def _notified(period: ReportPeriod, headline: Any) -> list[Figure]:
    return [
        Figure(
            "incidents.reported_to_ico",
            "Reported to the ICO",
            headline[1],
            "Incidents reported in the period that have been notified to the ICO "
            "(UK GDPR Art. 33).",
            group="Notification",
            **_notified_link(period, "ico"),
        ),
        Figure(
            "incidents.reported_to_dhsc",
            "Reported to DHSC",
            headline[2],
            "Incidents reported in the period notified to DHSC and NHS England through the "
            "DSPT incident reporting tool.",
            group="Notification",
            **_notified_link(period, "dhsc"),
        ),
    ]


def _timeliness(period: ReportPeriod, headline: Any) -> list[Figure]:
    row = headline[3:]
    return [
        Figure(
            "incidents.hours_to_notify",
            "Average hours to notify the ICO",
            None if row[0] is None else round(float(row[0]), 1),
            "The mean of the elapsed hours from awareness to the first ICO notification, "
            "over the period's incidents notified.",
            unit="hours",
            group="Notification",
            target=72,
            counts_people=False,
            **_notified_link(period, "ico"),
        ),
        Figure(
            "incidents.notified_on_time",
            "Notified to the ICO within 72 hours",
            row[1],
            "Incidents of the period whose first ICO notification was sent within 72 hours "
            "of awareness.",
            group="Notification",
            **_notified_link(period, "ico_on_time"),
        ),
        Figure(
            "incidents.notified_late",
            "Notified to the ICO late",
            row[2],
            "Incidents of the period whose first ICO notification was sent more than 72 "
            "hours after awareness.",
            group="Notification",
            **_notified_link(period, "ico_late"),
        ),
    ]


def _age_bounds(end: dt.date) -> list[tuple[dt.date | None, dt.date]]:
    """Each of AGE_BANDS as the first and last UK day of reporting (None: open-ended)."""
    firsts = [end + dt.timedelta(days=1 - days) for days in AGE_LIMITS]
    lasts = [end, *(first - dt.timedelta(days=1) for first in firsts)]
    return list(zip([*firsts, None], lasts, strict=True))


def _open_by_age(session: Session, period: ReportPeriod) -> list[Figure]:
    bounds = _age_bounds(period.end)
    band = case(
        *(
            (Incident.reported_at >= london_midnight(first), literal(label))
            for (first, _), label in zip(bounds, AGE_BANDS, strict=False)
            if first is not None
        ),
        else_=literal(AGE_BANDS[-1]),
    )
    found: dict[str, int] = dict(
        session.execute(
            select(band, func.count())
            .where(*open_at_clause(period.counted_until, _counted(period)))
            .group_by(band)
        ).all()
    )
    figures = []
    for index, (label, (first, last)) in enumerate(zip(AGE_BANDS, bounds, strict=True)):
        args: dict[str, Any] = {"open_on": date_boxes(period.end), "date_to": date_boxes(last)}
        if first is not None:
            args["date_from"] = date_boxes(first)
        figures.append(
            Figure(
                f"incidents.open.{index}",
                f"Open {label} after being reported",
                found.get(label, 0),
                f"Incidents open (not closed) at the end of the period, reported {label} "
                "before it ended.",
                group="Open at the end of the period, by age",
                endpoint="incidents.index",
                args=args,
                permission=READ,
            )
        )
    return figures


def incidents_section(session: Session, policies: Policies, period: ReportPeriod) -> Section:
    """The incidents section of the IG report for ``period``."""
    policy: IncidentsPolicy = policies.incidents
    headline = _headline(session, period)
    figures = [
        Figure(
            "incidents.reported",
            "Incidents reported",
            headline[0],
            "Incidents (breaches and near misses) reported in the period, not counting those "
            "withdrawn or found to be duplicates.",
            endpoint="incidents.index",
            args=_dates(period),
            permission=READ,
        ),
        *_notified(period, headline),
        *_timeliness(period, headline),
    ]
    if not period.headline_only:  # the breakdowns, and the figures at the period's end
        figures[1:1] = [*_by_type(session, policy, period), *_by_grade(session, period)]
        figures.extend([*_open_by_age(session, period), actions_overdue(session, period)])
    return Section(
        "incidents",
        "Incidents",
        tuple(figures),
        headline=("incidents.reported", "incidents.reported_to_ico", "incidents.notified_late"),
    )
