"""Pure rules for the IG risk register: scores, ratings, appetite, reviews, the heat map."""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from dataclasses import dataclass

from ig.risks.policy import LEVELS, Rating, RisksPolicy


class Status(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ReviewState(enum.StrEnum):
    CURRENT = "current"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


class LinkKind(enum.StrEnum):
    INCIDENT = "incident"
    DPIA = "dpia"
    ASSET = "asset"


STATE_LABELS = {
    ReviewState.CURRENT: "Review not yet due",
    ReviewState.DUE_SOON: "Review due soon",
    ReviewState.OVERDUE: "Review overdue",
}
# govuk-tag colours for each rating band, lowest first; a policy's extra bands share the top.
RATING_TAGS = ("govuk-tag--green", "govuk-tag--yellow", "govuk-tag--orange", "govuk-tag--red")


def is_level(value: int) -> bool:
    """A likelihood or impact on the matrix: a whole number from 1 to 5."""
    return 1 <= value <= LEVELS


def score(likelihood: int, impact: int) -> int:
    """The risk's score: likelihood x impact, 1 to 25. ValueError off the matrix."""
    if not (is_level(likelihood) and is_level(impact)):
        raise ValueError(f"likelihood and impact must be 1 to {LEVELS}")
    return likelihood * impact


def rating_index(policy: RisksPolicy, value: int) -> int:
    """The position of the band ``value`` falls in (0 lowest): the last band starting at or
    below it."""
    return max(i for i, r in enumerate(policy.ratings) if r.from_score <= value)


def rating(policy: RisksPolicy, value: int) -> Rating:
    """The rating band a score falls in."""
    return policy.ratings[rating_index(policy, value)]


def rating_tag(policy: RisksPolicy, value: int) -> str:
    """The govuk-tag class that colours the score's band (its label is always shown too)."""
    return RATING_TAGS[min(rating_index(policy, value), len(RATING_TAGS) - 1)]


def appetite(policy: RisksPolicy, category: str) -> int:
    """The highest acceptable score for a risk of ``category``."""
    return policy.category_appetite.get(category, policy.appetite)


def is_above_appetite(policy: RisksPolicy, category: str, value: int) -> bool:
    """A score the council does not accept for the category: the SIRO reports it."""
    return value > appetite(policy, category)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review_on(policy: RisksPolicy, reviewed_on: dt.date, value: int) -> dt.date:
    """When a risk scored ``value`` on ``reviewed_on`` is next reviewed: its band's interval."""
    return add_months(reviewed_on, rating(policy, value).review_months)


def review_state(due: dt.date, today: dt.date, due_soon_days: int) -> ReviewState:
    """Overdue once the review date has passed; due soon on it or within the window."""
    if due < today:
        return ReviewState.OVERDUE
    if due <= today + dt.timedelta(days=due_soon_days):
        return ReviewState.DUE_SOON
    return ReviewState.CURRENT


@dataclass(frozen=True)
class Cell:
    """One square of the heat map: its likelihood, impact, score, band and markers."""

    likelihood: int
    impact: int
    score: int
    rating: str
    tag: str
    is_current: bool
    is_target: bool


def heat_map(
    policy: RisksPolicy, current: tuple[int, int], target: tuple[int, int]
) -> list[list[Cell]]:
    """The 5 x 5 matrix as rows, highest likelihood first (as the matrix is drawn), each
    from impact 1 to 5, marking the risk's current and target (likelihood, impact)."""
    return [
        [
            Cell(
                likelihood,
                impact,
                likelihood * impact,
                rating(policy, likelihood * impact).label,
                rating_tag(policy, likelihood * impact),
                (likelihood, impact) == current,
                (likelihood, impact) == target,
            )
            for impact in range(1, LEVELS + 1)
        ]
        for likelihood in range(LEVELS, 0, -1)
    ]
