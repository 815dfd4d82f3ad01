"""Caldicott work on the home page: decisions awaiting the Guardian, requests to assess."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.caldicott.models import CaldicottRequest, RequestStatus
from ig.db import utcnow
from ig.feature import Task


def _counts(session: Session, review_cutoff: dt.date) -> dict[str, int]:
    due = and_(
        CaldicottRequest.status == RequestStatus.DECIDED,
        CaldicottRequest.review_on <= review_cutoff,
    )
    row = session.execute(
        select(
            func.count().filter(CaldicottRequest.status == RequestStatus.AWAITING_ASSESSMENT),
            func.count().filter(CaldicottRequest.status == RequestStatus.AWAITING_DECISION),
            func.count().filter(due),
        )
    ).one()
    return {"assess": row[0] or 0, "decide": row[1] or 0, "review": row[2] or 0}


def caldicott_tasks(session: Session, actor: Actor) -> list[Task]:
    """Requests awaiting assessment (IG team), decisions and reviews (Guardians)."""
    if not (actor.can("caldicott.assess") or actor.can("caldicott.decide")):
        return []
    policy = current_app.extensions["ig.policies"].caldicott
    counts = _counts(session, utcnow().date() + dt.timedelta(days=policy.review_lead_days))
    tasks = []
    if actor.can("caldicott.assess") and counts["assess"]:
        tasks.append(
            Task(
                "Assess Caldicott requests",
                "caldicott.index",
                {"status": "awaiting_assessment", "order": "asc"},
                "Requests not yet assessed",
                counts["assess"],
            )
        )
    if actor.can("caldicott.decide") and counts["decide"]:
        tasks.append(
            Task(
                "Decide Caldicott requests",
                "caldicott.queue",
                {},
                "Assessed and awaiting the Guardian's decision",
                counts["decide"],
            )
        )
    if actor.can("caldicott.decide") and counts["review"]:
        tasks.append(
            Task(
                "Review Caldicott decisions",
                "caldicott.queue",
                {},
                "Continuing uses whose review date is near or past",
                counts["review"],
            )
        )
    return tasks
