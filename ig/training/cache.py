"""Training figures, kept in the shared cache (ig/cache.py) while the data has not changed.

Organisation-wide figures classify every (person, course) pair: hundreds of thousands
of rows for a large council. They change only when training or staff data changes
(or the date moves on, which is part of every key), so they are computed once for
every worker, and one cheap query (``data_stamp``) tells whether they still hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig import cache
from ig.auth.models import UserRole
from ig.people.models import Staff, Team, TeamManager
from ig.training.models import Assignment, AssignmentStaff, Completion, Exemption
from ig.training.rules import Basis

T = TypeVar("T")


TRAINING_PARTS = 4  # the stamp's first parts: what is recorded with recorded_at/created_at


def data_stamp(session: Session) -> tuple[Any, ...]:
    """What the figures depend on, summarised in one query of index look-ups.

    Completions, exemptions and assignments are only ever added, so their highest id
    changes with every write (they come first: ``TRAINING_PARTS``); staff and teams
    carry ``updated_at`` and a count; roles and managers decide audiences and scopes.
    """
    query = select(
        select(func.max(Completion.id)).scalar_subquery(),
        select(func.max(Exemption.id)).scalar_subquery(),
        select(func.max(Assignment.id)).scalar_subquery(),
        select(func.max(AssignmentStaff.id)).scalar_subquery(),
        select(func.max(Staff.updated_at)).scalar_subquery(),
        select(func.count(Staff.id)).scalar_subquery(),
        select(func.max(Team.updated_at)).scalar_subquery(),
        select(func.count(Team.id)).scalar_subquery(),
        select(func.max(TeamManager.id)).scalar_subquery(),
        select(func.count(TeamManager.id)).scalar_subquery(),
        select(func.max(UserRole.id)).scalar_subquery(),
        select(func.count(UserRole.id)).scalar_subquery(),
    )
    return tuple(session.execute(query).one())


def cached(
    session: Session,
    key: Hashable,
    compute: Callable[[], T],
    *,
    past: bool = False,
    stamp: tuple[Any, ...] | None = None,
) -> T:
    """``compute()``'s result for ``key``, reused while ``data_stamp`` is unchanged.

    ``past`` says the result is for a day before today: it ignores anything recorded
    since, so only the staff, teams, roles and managers parts of the stamp matter. A
    caller looking up several results may pass the ``stamp`` it has just read.
    """
    stamp = stamp if stamp is not None else data_stamp(session)
    if past:
        stamp = stamp[TRAINING_PARTS:]
    return cache.cached(session, ("training", past, key), stamp, compute)


def is_settled(on_date: dt.date, today: dt.date, basis: Basis) -> bool:
    """Whether a figure for ``on_date`` ignores anything recorded from now on (``cached``'s
    ``past``): one for a day before today "as recorded then" does; "as now known" never,
    since a late completion dated on or before the day changes it."""
    return on_date < today and basis is Basis.AS_RECORDED


def clear(session: Session | None = None) -> None:
    """Forget the figures (``ig.cache.forget``): this process's, and the stored ones too
    given a session."""
    cache.forget(session)
