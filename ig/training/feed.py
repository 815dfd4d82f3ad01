"""Training completions, and compliance per team today, as read-only feeds."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Numeric, Select, case, cast, func, select
from sqlalchemy.orm import Session

from ig.db import london_today
from ig.feature import Feed, FeedChanges, FeedColumn
from ig.people.models import Staff, Team
from ig.policies import Policies
from ig.training.compliance import counted_columns, status_rows
from ig.training.models import Completion
from ig.training.rules import Status

C = FeedColumn


def _completions(_session: Session, _policies: Policies, _now: dt.datetime) -> Select:
    c = Completion
    return (
        select(
            c.id,
            c.staff_id,
            Staff.team_id,
            Team.name.label("team"),
            c.course_code,
            c.completed_on,
            c.source,
            c.recorded_at,
        )
        .join(Staff, Staff.id == c.staff_id)
        .join(Team, Team.id == Staff.team_id)
    )


COMPLETIONS = Feed(
    "training_completions",
    "Training completions",
    "training.view_all",
    (
        C("id", "integer", "the completion's number in ig"),
        C("staff_id", "integer", "the member of staff's number in ig"),
        C("team_id", "integer", "their team now"),
        C("team", "string", "that team's name"),
        C("course_code", "string", "the course, as policies/training.toml names it"),
        C("completed_on", "date", "when the course was completed"),
        C("source", "string", "how ig learned of it: import, api or manual"),
        C("recorded_at", "datetime", "when ig learned of it"),
    ),
    _completions,
    # Completions are only ever added, each with the instant it was recorded; a whole
    # import is one audit entry, so the row's own time is the exact one.
    FeedChanges(column="recorded_at"),
)


def _compliance(session: Session, policies: Policies, now: dt.datetime) -> Select:
    rows = status_rows(session, policies.training, london_today(now))
    counts = select(rows.c.team_id, *counted_columns(rows)).group_by(rows.c.team_id).subquery()
    good = counts.c[Status.COMPLIANT.value] + counts.c[Status.EXPIRING_SOON.value]
    counted = good + counts.c[Status.OVERDUE.value]
    # As the DSPT evidence counts it: 100 when nobody is counted.
    percent = case(
        (counted > 0, func.round(cast(good * 100.0 / counted, Numeric(10, 4)), 1)), else_=100.0
    )
    return select(
        counts.c.team_id.label("id"),
        Team.name.label("team"),
        *(counts.c[s.value].label(s.value) for s in Status),
        percent.label("percent_compliant"),
    ).join(Team, Team.id == counts.c.team_id)


COMPLIANCE = Feed(
    "training_compliance",
    "Training compliance per team, today",
    "training.view_all",
    (
        C("id", "integer", "the team's number in ig"),
        C("team", "string", "the team's name"),
        C("compliant", "integer", "required courses done and current"),
        C("expiring_soon", "integer", "current, but expiring soon"),
        C("not_yet_due", "integer", "not done, but not yet due (new starters)"),
        C("overdue", "integer", "not done, or expired"),
        C("exempt", "integer", "exempt"),
        C("percent_compliant", "number", "(compliant + expiring soon) / (those + overdue) x 100"),
    ),
    _compliance,
)
