"""Leaving dates as the staff register recorded them, for the IG report "as recorded then".

The HR import writes each member of staff's leaving date when it is given or changed
into an audit entry of its own (the new date and the one it replaced, dates only), so a
figure can read the date the register held at any instant: the latest entry's by then;
before the first entry, the date that entry replaced; without any entry (staff not
changed since), the register's date now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import ColumnElement, case
from sqlalchemy.orm import Session

from ig.audit.recorded import first_detail, latest_detail, was_recorded
from ig.audit.service import record
from ig.auth.rules import Actor
from ig.people.models import Staff

RECORD = "staff"
LEAVING_DATE = "staff.leaving_date"


def record_leaving_dates(
    session: Session,
    actor: Actor,
    changes: Iterable[tuple[Staff, dt.date | None]],
    now: dt.datetime,
) -> None:
    """Audit the leaving date of each member of staff whose date was just given, changed or
    taken away, with the date it replaced (``changes``: (staff, former date) pairs; the
    staff must have their ids), at ``now``."""
    for person, former in changes:
        detail = {"left_on": _iso(person.left_on), "was": _iso(former)}
        record(session, actor, LEAVING_DATE, RECORD, person.id, detail, at=now)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def left_by(day: dt.date, cutoff: dt.datetime | None = None) -> ColumnElement[bool]:
    """Staff who had left on or before ``day``, by the leaving date the register held at
    ``cutoff`` (as it is now when ``cutoff`` is None)."""
    if cutoff is None:
        return Staff.left_on <= day
    about = (RECORD, Staff.id, [LEAVING_DATE])
    then = latest_detail(*about, "left_on", cutoff)
    before_first = first_detail(*about, "was")
    ever = was_recorded(*about, None)
    # Only staff with a leaving date now, or one recorded once, can have left: the
    # lookups below are made for those alone.
    maybe = Staff.left_on.is_not(None) | ever
    return maybe & case(
        (was_recorded(*about, cutoff), then <= day.isoformat()),
        (ever, before_first <= day.isoformat()),
        else_=Staff.left_on <= day,
    )
