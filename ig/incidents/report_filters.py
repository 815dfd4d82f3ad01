"""The IG report's groupings of incidents that the register also filters by, so that a
figure's link shows exactly the incidents it counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import case, literal, or_

from ig.incidents.models import Incident, Status

# Reports the IG report leaves out: withdrawn, or found to repeat another.
NOT_COUNTED = (Status.WITHDRAWN, Status.DUPLICATE)
GRADES = {
    "dhsc": "Reportable to the ICO and DHSC",
    "ico": "Reportable to the ICO only",
    "graded": "Graded, not reportable",
    "ungraded": "Not yet graded",
}
# What the notification filter picks: the initial notification to a regulator, and
# whether the ICO's came within the 72 hours.
NOTIFIED = {
    "ico": "Notified to the ICO",
    "ico_on_time": "Notified to the ICO within 72 hours",
    "ico_late": "Notified to the ICO late",
    "dhsc": "Notified to DHSC",
}
# The type filter's choice, and the report's key, for incidents of no type the policy lists.
NO_TYPE = "none"


def grade_case(graded: Any) -> Any:
    """The incident's key in GRADES, given the condition that its grading counts."""
    return case(
        (~graded, literal("ungraded")),
        (Incident.is_dhsc_notifiable.is_(True), literal("dhsc")),
        (Incident.is_ico_notifiable.is_(True), literal("ico")),
        else_=literal("graded"),
    )


def type_clause(kind: Any, code: str, types: Collection[str]) -> Any:
    """The incident's type (``kind``: the column, or its value as recorded then) is
    ``code``; for NO_TYPE, not recorded: none, or one the policy ``types`` no longer list."""
    if code == NO_TYPE:
        return or_(kind.is_(None), kind.not_in(list(types)))
    return kind == code


def open_at_clause(cut: dt.datetime, counted: Any = None) -> list[Any]:
    """Incidents reported before ``cut`` and not closed by then, the IG report's counted
    ones (by default, not withdrawn or a duplicate now: written so that the (closed_at,
    reported_at, status) index answers alone)."""
    return [
        Incident.reported_at < cut,
        Incident.status.not_in(NOT_COUNTED) if counted is None else counted,
        or_(Incident.closed_at.is_(None), Incident.closed_at >= cut),
    ]
