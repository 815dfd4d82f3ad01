"""The list of incidents' actions, across every incident: filtered and paged in SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig.audit.service import Page
from ig.auth.models import User
from ig.feature import ReportPeriod
from ig.incidents.action_figures import overdue_at_end
from ig.incidents.action_models import IncidentAction
from ig.incidents.models import Incident


@dataclass(frozen=True)
class ActionFilter:
    """What the list was asked to show; every field optional."""

    overdue_on: dt.date | None = None  # overdue at the end of this day, as the IG report counts


def list_actions(
    session: Session, filters: ActionFilter, page: int = 1, per_page: int = 50
) -> Page:
    """One page of actions, the earliest due first, in two queries: rows with the
    action's ``id``, ``due_on``, ``status`` and ``completed_on``, its incident's
    ``reference`` and its ``owner`` (a name, or None). The description, encrypted case
    detail, is left to the incident's page, where reading it is audited."""
    where = []
    if filters.overdue_on is not None:
        day = filters.overdue_on
        where = overdue_at_end(ReportPeriod(day, day, None))
    total = session.scalar(select(func.count()).select_from(IncidentAction).where(*where)) or 0
    rows = session.execute(
        select(
            IncidentAction.id,
            IncidentAction.due_on,
            IncidentAction.status,
            IncidentAction.completed_on,
            Incident.reference,
            User.name.label("owner"),
        )
        .join(Incident, Incident.id == IncidentAction.incident_id)
        .outerjoin(User, User.id == IncidentAction.owner_id)
        .where(*where)
        .order_by(IncidentAction.due_on, IncidentAction.id)
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    return Page(list(rows), max(page, 1), per_page, total)
