"""Home-page tasks: the owner's DPIA reviews that are overdue, and DPIAs to sign off."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.db import london_today
from ig.dpia.models import Dpia, Status
from ig.feature import Task


def dpia_tasks(session: Session, actor: Actor) -> list[Task]:
    """Overdue reviews of the DPIAs the actor owns; for signers, DPIAs awaiting sign-off."""
    if not actor.can("dpia.read") or actor.user_id is None:
        return []
    tasks = []
    overdue = session.scalar(
        select(func.count())
        .select_from(Dpia)
        .where(
            Dpia.owner_user_id == actor.user_id,
            Dpia.status == Status.SIGNED_OFF,
            Dpia.review_on < london_today(),
        )
    )
    if overdue:
        tasks.append(
            Task(
                "Review the DPIAs you own",
                "dpia.index",
                {"overdue": "yes"},
                "Their review date has passed (UK GDPR Art. 35(11))",
                overdue,
                is_overdue=True,
            )
        )
    if actor.can("dpia.sign_off"):
        waiting = session.scalar(
            select(func.count())
            .select_from(Dpia)
            .where(
                Dpia.status == Status.AWAITING_SIGN_OFF,
                or_(Dpia.author_user_id.is_(None), Dpia.author_user_id != actor.user_id),
            )
        )
        if waiting:
            tasks.append(
                Task(
                    "Sign off DPIAs",
                    "dpia.index",
                    {"status": Status.AWAITING_SIGN_OFF.value},
                    "Assessed and waiting for your sign-off",
                    waiting,
                )
            )
    return tasks
