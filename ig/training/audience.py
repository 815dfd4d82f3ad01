"""Who must take a course on a date, in SQL: each person's posting then, and the audience."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    and_,
    false,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session, aliased

from ig.auth.models import UserRole
from ig.people.models import PastPosting, Staff, Team
from ig.training.policy import Course

# The posting held on a past date (aliases are built once: each new one costs its
# column expressions again on every page that classifies training).
_PAST = aliased(PastPosting, name="past_posting")


@dataclass(frozen=True)
class Posting:
    """A person's team and job title on a date, as columns of the Staff row's query.

    ``past`` is the PastPosting alias to outer-join when some person has moved since
    the date; when nobody has, the current team and job title held on it for everyone.
    """

    team_id: SQLColumnExpression[int]
    job_title: SQLColumnExpression[str]
    past: Any = None

    @classmethod
    def on(cls, session: Session, on_date: dt.date) -> Posting:
        last_move = session.scalar(select(func.max(PastPosting.ends_on)))
        if last_move is None or last_move <= on_date:
            return cls(Staff.team_id, Staff.job_title)
        past = _PAST
        return cls(
            func.coalesce(past.team_id, Staff.team_id),
            func.coalesce(past.job_title, Staff.job_title),
            past,
        )

    def join(self, query: Select[Any], on_date: dt.date) -> Select[Any]:
        """``query`` (selecting from Staff) with the posting held on ``on_date`` joined."""
        if self.past is None:
            return query
        return query.outerjoin(
            self.past,
            and_(
                self.past.staff_id == Staff.id,
                self.past.starts_on <= on_date,
                self.past.ends_on > on_date,
            ),
        )


# A team named in the policy, whose subtree takes the course (one alias, built once).
_NAMED = aliased(Team, name="named_team")


def audience(course: Course, posting: Posting) -> ColumnElement[bool]:
    """Whether a Staff row must take ``course`` under the policy, in ``posting``."""
    if course.audience == "everyone":
        return true()
    named = _NAMED
    conditions: list[ColumnElement[bool]] = []
    if course.job_titles:
        conditions.append(posting.job_title.in_(course.job_titles))
    if course.teams:
        in_named = (
            select(Team.id)
            .join(named, Team.path.startswith(named.path, autoescape=False))
            .where(named.name.in_(course.teams))
        )
        conditions.append(posting.team_id.in_(in_named))
    if course.roles:
        holders = select(UserRole.user_id).where(UserRole.role.in_(course.roles))
        conditions.append(Staff.user_id.in_(holders))
    return or_(*conditions) if conditions else false()
