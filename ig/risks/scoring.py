"""A risk's scoring at a review: the finding checked against the matrix and the policy,
and recorded as a row of its history with the risk's current score kept beside it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ig import bounds
from ig.auth.rules import Actor
from ig.errors import ValidationFailed
from ig.risks import rules
from ig.risks.models import Risk, RiskReview
from ig.risks.policy import RisksPolicy


@dataclass(frozen=True)
class ReviewInput:
    """A review's finding: the score on ``reviewed_on``; the next review date, or None
    for the one the rating's interval gives."""

    reviewed_on: dt.date
    likelihood: int
    impact: int
    note: str
    next_review_on: dt.date | None = None


def check_level(name: str, value: int, what: str) -> None:
    if not rules.is_level(value):
        raise ValidationFailed(name, f"Choose the {what}: a level from 1 to 5")


def check_review(
    policy: RisksPolicy, review: ReviewInput, today: dt.date, last_on: dt.date | None
) -> dt.date:
    """Check a review's finding; the date its next review falls due."""
    check_level("likelihood", review.likelihood, "likelihood")
    check_level("impact", review.impact, "impact")
    problem = bounds.text_problem(review.note, bounds.SHORT_TEXT)
    if problem:
        raise ValidationFailed("note", problem)
    problem = bounds.date_problem(review.reviewed_on)
    if problem:
        raise ValidationFailed("reviewed_on", problem)
    if review.reviewed_on > today:
        raise ValidationFailed("reviewed_on", "The review date cannot be in the future")
    if last_on is not None and review.reviewed_on < last_on:
        raise ValidationFailed(
            "reviewed_on", f"The review date cannot be before the last review, on {last_on}"
        )
    value = rules.score(review.likelihood, review.impact)
    latest = rules.next_review_on(policy, review.reviewed_on, value)
    due = review.next_review_on or latest
    if due <= review.reviewed_on or due > latest:
        months = rules.rating(policy, value).review_months
        raise ValidationFailed(
            "next_review_on",
            f"A {rules.rating(policy, value).label.lower()} risk is reviewed within "
            f"{months} months: enter a date after the review and no later than {latest}",
        )
    return due


def add_review(
    session: Session,
    actor: Actor,
    policy: RisksPolicy,
    risk: Risk,
    review: ReviewInput,
    due: dt.date,
    now: dt.datetime,
) -> RiskReview:
    value = rules.score(review.likelihood, review.impact)
    row = RiskReview(
        risk_id=risk.id,
        reviewed_on=review.reviewed_on,
        likelihood=review.likelihood,
        impact=review.impact,
        score=value,
        next_review_on=due,
        note=review.note.strip(),
        reviewed_by_user_id=actor.user_id,
        policy_version=policy.version,
        recorded_at=now,
    )
    session.add(row)
    risk.likelihood, risk.impact, risk.score, risk.review_on = (
        review.likelihood,
        review.impact,
        value,
        due,
    )
    return row
