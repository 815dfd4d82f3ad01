"""Turning forms into service inputs and risks into ready-to-show rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ig.risks import rules
from ig.risks.forms import NewRiskForm, ReviewForm, RiskFilterForm, RiskForm
from ig.risks.models import Risk, RiskAction, RiskReview
from ig.risks.policy import RisksPolicy
from ig.risks.register import RiskFilter
from ig.risks.rules import ReviewState, Status
from ig.risks.scoring import ReviewInput
from ig.risks.service import RiskInput

STATE_TAGS = {
    ReviewState.CURRENT: "govuk-tag--green",
    ReviewState.DUE_SOON: "govuk-tag--yellow",
    ReviewState.OVERDUE: "govuk-tag--red",
}


@dataclass(frozen=True)
class RiskRow:
    risk: Risk
    category: str
    rating: str
    rating_tag: str
    target_score: int
    is_above_appetite: bool
    state_label: str
    state_tag: str
    is_overdue: bool


@dataclass(frozen=True)
class ReviewRow:
    review: RiskReview
    rating: str
    rating_tag: str
    who: str


@dataclass(frozen=True)
class ActionRow:
    action: RiskAction
    is_overdue: bool


def set_choices(form: Any, policy: RisksPolicy) -> None:
    """A form's categories and its likelihood and impact labels, from the policy."""
    if isinstance(form, RiskFilterForm):
        form.category.choices = {"": "Any", **policy.categories}
        return
    if isinstance(form, RiskForm):
        form.category.choices = {"": "Choose a category", **policy.categories}
    for name in ("likelihood", "target_likelihood", "impact", "target_impact"):
        field = getattr(form, name, None)
        if field is not None:
            levels = policy.likelihood if "likelihood" in name else policy.impact
            labels = {str(v.number): f"{v.number} {v.label}" for v in levels}
            field.choices = {"": "Choose", **labels}


def filters_from(form: RiskFilterForm) -> RiskFilter:
    """The filter the form asks for; a form with bad values shows the default register."""
    if not form.validate():
        return RiskFilter()
    status = form.status.data or "open"
    return RiskFilter(
        status=None if status == "any" else Status(status),
        category=form.category.data or None,
        is_overdue=form.overdue.data == "y",
        is_above_appetite=form.above.data == "y",
        search=form.q.data or "",
        sort=form.sort.data or "score",
        on=form.on.data,
    )


def risk_rows(risks: Iterable[Risk], policy: RisksPolicy, today: dt.date) -> list[RiskRow]:
    rows = []
    for risk in risks:
        state = rules.review_state(risk.review_on, today, policy.due_soon_days)
        is_open = risk.status is Status.OPEN
        rows.append(
            RiskRow(
                risk,
                policy.category_label(risk.category),
                rules.rating(policy, risk.score).label,
                rules.rating_tag(policy, risk.score),
                risk.target_likelihood * risk.target_impact,
                rules.is_above_appetite(policy, risk.category, risk.score),
                rules.STATE_LABELS[state] if is_open else "Closed",
                STATE_TAGS[state] if is_open else "govuk-tag--grey",
                is_open and state is ReviewState.OVERDUE,
            )
        )
    return rows


def review_rows(reviews: Iterable[RiskReview], policy: RisksPolicy) -> list[ReviewRow]:
    return [
        ReviewRow(
            review,
            rules.rating(policy, review.score).label,
            rules.rating_tag(policy, review.score),
            review.reviewed_by.name if review.reviewed_by else "Unknown",
        )
        for review in reviews
    ]


def action_rows(actions: Iterable[RiskAction], today: dt.date) -> list[ActionRow]:
    return [ActionRow(a, a.done_on is None and a.due_on < today) for a in actions]


def level(value: str | None) -> int:
    """A level from a form's select: 0 (refused by the service) when not chosen."""
    return int(value) if value and value.isdigit() and len(value) == 1 else 0


def risk_input(form: RiskForm) -> RiskInput:
    return RiskInput(
        title=form.title.data or "",
        category=form.category.data or "",
        owner_user_id=form.owner_user_id.data or 0,  # 0: none (refused)
        cause=form.cause.data or "",
        effect=form.effect.data or "",
        controls=form.controls.data or "",
        target_likelihood=level(form.target_likelihood.data),
        target_impact=level(form.target_impact.data),
    )


def review_input(form: NewRiskForm | ReviewForm, reviewed_on: dt.date, note: str) -> ReviewInput:
    """The review a new-risk or review form gives (its first scoring, or a later one)."""
    return ReviewInput(
        reviewed_on=reviewed_on,
        likelihood=level(form.likelihood.data),
        impact=level(form.impact.data),
        note=note,
        next_review_on=form.next_review_on.data,
    )


def form_data(risk: Risk) -> dict[str, object]:
    """A risk's values as the edit form shows them."""
    return {
        "version": risk.version,
        "title": risk.title,
        "category": risk.category,
        "owner_user_id": risk.owner_user_id,
        "cause": risk.cause,
        "effect": risk.effect,
        "controls": risk.controls,
        "target_likelihood": str(risk.target_likelihood),
        "target_impact": str(risk.target_impact),
    }


def summary_rows(risk: Risk, policy: RisksPolicy) -> list[tuple[str, str]]:
    """The risk's facts as (label, text) rows for its page."""
    likelihood, impact = policy.likelihood, policy.impact

    def position(lk: int, im: int) -> str:
        value = lk * im
        return (
            f"{value} ({rules.rating(policy, value).label}): likelihood {lk} "
            f"{likelihood[lk - 1].label} x impact {im} {impact[im - 1].label}"
        )

    rows = [
        ("Category", policy.category_label(risk.category)),
        ("Owner", risk.owner.name),
        ("Cause", risk.cause),
        ("Effect", risk.effect),
        ("Controls in place", risk.controls or "None recorded"),
        ("Current score", position(risk.likelihood, risk.impact)),
        ("Target score", position(risk.target_likelihood, risk.target_impact)),
        ("Risk appetite", f"Scores up to {rules.appetite(policy, risk.category)} are accepted"),
        ("Next review", risk.review_on.strftime("%-d %B %Y")),
    ]
    if risk.status is Status.CLOSED and risk.closed_on:
        rows.append(("Closed", f"{risk.closed_on:%-d %B %Y}: {risk.closed_reason or ''}"))
    return rows
