"""Pure rules for DPIAs: the screening outcome, risk scores and levels, review dates."""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from ig.dpia.policy import DpiaPolicy


class RiskLevel(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class ScreeningResult:
    """Whether a DPIA is required, and the reasons, as sentences."""

    is_required: bool
    reasons: tuple[str, ...]


def screening_outcome(selected: Iterable[str], policy: DpiaPolicy) -> ScreeningResult:
    """Apply the policy's rule to the criteria the processing meets.

    UK GDPR Art. 35(3): any of its cases requires a DPIA. The ICO's guidance: processing
    meeting two or more (the policy's min_ico_criteria) of its criteria is likely to
    result in high risk, so requires one too. Unknown keys raise KeyError.
    """
    chosen = [policy.criteria[key] for key in sorted(set(selected))]
    art35 = [c for c in chosen if c.kind == "art35_3"]
    ico = [c for c in chosen if c.kind == "ico"]
    reasons = [f"{c.source}: {c.text}" for c in art35]
    if art35:
        return ScreeningResult(True, tuple(reasons))
    if len(ico) >= policy.min_ico_criteria:
        return ScreeningResult(
            True,
            (
                f"{len(ico)} of the ICO's high-risk criteria apply "
                f"({policy.min_ico_criteria} or more require a DPIA)",
            ),
        )
    if ico:
        return ScreeningResult(
            False,
            (
                f"Only {len(ico)} of the ICO's high-risk criteria applies and no Art. 35(3) case: "
                f"{policy.min_ico_criteria} or more would require a DPIA",
            ),
        )
    return ScreeningResult(
        False, ("No Art. 35(3) case and none of the ICO's high-risk criteria apply",)
    )


def risk_score(likelihood: int, severity: int) -> int:
    """A risk's score: likelihood x severity, each from 1."""
    return likelihood * severity


def risk_level(score: int, policy: DpiaPolicy) -> RiskLevel:
    """The score's level on the policy's grid."""
    if score >= policy.high_from:
        return RiskLevel.HIGH
    if score >= policy.medium_from:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def is_on_grid(likelihood: int, severity: int, policy: DpiaPolicy) -> bool:
    return 1 <= likelihood <= len(policy.likelihood) and 1 <= severity <= len(policy.severity)


def needs_ico_consultation(highest_residual_score: int | None, policy: DpiaPolicy) -> bool:
    """UK GDPR Art. 36(1): a high residual risk means consulting the ICO before processing."""
    return highest_residual_score is not None and (
        risk_level(highest_residual_score, policy) is RiskLevel.HIGH
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_review_overdue(review_on: dt.date | None, today: dt.date) -> bool:
    return review_on is not None and review_on < today
