"""The IG risk register's section of the IG report: open risks, those above appetite,
reviews overdue at the period's end, and the top five risks with how their scores moved.

A report "as recorded then" (``period.recorded_by`` set) counts only the risks,
reviews and closures recorded by that instant, and each risk's title and category as
they stood then (from the audit trail), so a past report gives the same figures
whenever it is run; "as now known" also counts reviews recorded late but dated in time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from ig.audit.recorded import value_then
from ig.feature import Figure, ReportPeriod, Section, date_boxes
from ig.policies import Policies
from ig.risks import rules
from ig.risks.models import REFERENCE_PREFIX, Risk, RiskReview
from ig.risks.register import open_on
from ig.risks.service import NAMED_EVENTS

TOP = 5
GROUP = "Top risks"
PERMISSION = "risks.read"
DEFINITIONS = {
    "open": "IG risks in the register at the end of the period and not closed by then.",
    "above_appetite": (
        "Open IG risks whose score (likelihood x impact on the 5 x 5 matrix) at the end of "
        "the period, as last reviewed by then, is above the highest score the council "
        "accepts for the risk's category (policies/risks.toml)."
    ),
    "overdue": (
        "Open IG risks whose next review date, set at their last review by the end of the "
        "period, had passed by the end of the period."
    ),
    "start": (
        "A top risk's score (likelihood x impact, 1 to 25) at the start of the period, as "
        "last reviewed by then; blank if the risk was not yet in the register."
    ),
    "end": (
        "The five open IG risks with the highest scores at the end of the period (ties by "
        "reference), each with its score then, as last reviewed by then."
    ),
}


@dataclass(frozen=True)
class _Open:
    id: int
    number: int
    title: str
    category: str


def _known(column: Any, period: ReportPeriod) -> ColumnElement[bool]:
    """Recorded by the report's ``recorded_by`` (anything, for "as now known")."""
    return true() if period.recorded_by is None else column <= period.recorded_by


def _open_at_end(session: Session, period: ReportPeriod) -> list[_Open]:
    opened = open_on(period.end, lambda column: _known(column, period))

    def then(key: str, current: Any) -> Any:
        return value_then("risk", Risk.id, NAMED_EVENTS, key, period.recorded_by, current)

    title, category = then("title", Risk.title), then("category", Risk.category)
    query = select(Risk.id, Risk.number, title, category).where(*opened)
    return [_Open(*row) for row in session.execute(query)]


def _scores(
    session: Session, period: ReportPeriod, risk_ids: list[int]
) -> tuple[dict[int, RiskReview], dict[int, RiskReview]]:
    """Each risk's latest review by the period's start and by its end, as known."""
    at_start: dict[int, RiskReview] = {}
    at_end: dict[int, RiskReview] = {}
    if not risk_ids:
        return at_start, at_end
    query = (
        select(RiskReview)
        .where(
            RiskReview.risk_id.in_(risk_ids),
            RiskReview.reviewed_on <= period.end,
            _known(RiskReview.recorded_at, period),
        )
        .order_by(RiskReview.reviewed_on, RiskReview.id)
    )
    for review in session.scalars(query):
        at_end[review.risk_id] = review  # the order makes the last one the latest
        if review.reviewed_on <= period.start:
            at_start[review.risk_id] = review
    return at_start, at_end


def _top(scored: list[Any], at_start: dict[int, Any], at_end: dict[int, Any]) -> list[Figure]:
    """The highest-scored risks at the period's end, with their scores at its start and end."""
    figures = []
    top = sorted(scored, key=lambda r: (-at_end[r.id].score, r.number))[:TOP]
    for rank, risk in enumerate(top, start=1):
        name = f"{REFERENCE_PREFIX}{risk.number:03d} {risk.title}"
        start = at_start.get(risk.id)
        scores = (("start", start.score if start else None), ("end", at_end[risk.id].score))
        for when, value in scores:
            figures.append(
                Figure(
                    f"risks.top_{rank}.score_{when}",
                    f"{rank}. {name}: score at the period's {when}",
                    value,
                    DEFINITIONS[when],
                    group=GROUP,
                    counts_people=False,
                    endpoint="risks.show",
                    args={"risk_id": risk.id},
                    permission=PERMISSION,
                )
            )
    return figures


def risks_section(session: Session, policies: Policies, period: ReportPeriod) -> Section:
    """The risk register's figures for ``period`` (see the module's docstring)."""
    policy = policies.risks
    risks = _open_at_end(session, period)
    at_start, at_end = _scores(session, period, [r.id for r in risks])
    scored = [r for r in risks if r.id in at_end]
    above = [r for r in scored if rules.is_above_appetite(policy, r.category, at_end[r.id].score)]
    overdue = [r for r in scored if at_end[r.id].next_review_on < period.end]
    # The register's risks open on the period's last day, whatever their status today.
    on = {"on": date_boxes(period.end), "status": "any"}
    figures = [
        Figure(
            "risks.open", "Open IG risks", len(risks), DEFINITIONS["open"],
            counts_people=False, endpoint="risks.index", args=on, permission=PERMISSION,
        ),
        Figure(
            "risks.above_appetite", "Risks above appetite", len(above),
            DEFINITIONS["above_appetite"], counts_people=False, target=0,
            endpoint="risks.index", args={**on, "above": "y"}, permission=PERMISSION,
        ),
        Figure(
            "risks.reviews_overdue", "Risk reviews overdue at the period's end", len(overdue),
            DEFINITIONS["overdue"], counts_people=False, target=0,
            endpoint="risks.index", args={**on, "overdue": "y"}, permission=PERMISSION,
        ),
    ]  # fmt: skip
    figures.extend(_top(scored, at_start, at_end))
    return Section(
        "risks",
        "IG risk register",
        tuple(figures),
        headline=("risks.open", "risks.above_appetite", "risks.reviews_overdue"),
    )
