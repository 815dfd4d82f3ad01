"""Moves between teams and job titles, kept so figures for past dates stay as they were."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ig.people.models import PastPosting, Staff


@dataclass(frozen=True)
class Move:
    """A member of staff about to take a new team and job title."""

    staff: Staff
    team_id: int
    job_title: str

    @property
    def is_move(self) -> bool:
        return (self.team_id, self.job_title) != (self.staff.team_id, self.staff.job_title)


def record_moves(
    session: Session, moves: Sequence[Move], effective_on: dt.date, now: dt.datetime
) -> int:
    """Keep each moving person's current posting as a past one ending on ``effective_on``.

    Call it before the new team and job title are written to Staff. A posting that
    began on or after ``effective_on`` (a second move that day, or a starter who has
    not started) held on no earlier day, so nothing is kept for it. Returns how many
    past postings were added; one query finds where every current posting began.
    """
    moving = [move for move in moves if move.is_move]
    if not moving:
        return 0
    ids = [move.staff.id for move in moving]
    last_moved = dict(
        session.execute(
            select(PastPosting.staff_id, func.max(PastPosting.ends_on))
            .where(PastPosting.staff_id.in_(ids))
            .group_by(PastPosting.staff_id)
        ).all()
    )
    rows = []
    for move in moving:
        began = last_moved.get(move.staff.id) or move.staff.started_on
        if began < effective_on:
            rows.append(
                {
                    "staff_id": move.staff.id,
                    "team_id": move.staff.team_id,
                    "job_title": move.staff.job_title,
                    "starts_on": began,
                    "ends_on": effective_on,
                    "recorded_at": now,
                }
            )
    if rows:
        session.execute(insert(PastPosting), rows)
    return len(rows)
