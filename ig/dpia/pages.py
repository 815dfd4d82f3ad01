"""What the DPIA pages share: the policy, choices, form errors and ready-to-show rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app

from ig.dpia.forms import DpiaFilterForm, RiskForm
from ig.dpia.models import Dpia, DpiaRisk
from ig.dpia.policy import DpiaPolicy
from ig.dpia.register import DpiaFilter, Shown, shown_status
from ig.dpia.rules import RiskLevel, risk_level, risk_score
from ig.dpia.service import RiskInput
from ig.errors import ValidationFailed

LEVEL_TAGS = {
    RiskLevel.LOW: "govuk-tag--green",
    RiskLevel.MEDIUM: "govuk-tag--yellow",
    RiskLevel.HIGH: "govuk-tag--red",
}
STATUS_TAGS = {
    Shown.DRAFT: "govuk-tag--grey",
    Shown.SCREENED: "govuk-tag--blue",
    Shown.IN_ASSESSMENT: "govuk-tag--light-blue",
    Shown.AWAITING_SIGN_OFF: "govuk-tag--yellow",
    Shown.SIGNED_OFF: "govuk-tag--green",
    Shown.REVIEW_DUE: "govuk-tag--red",
}


def policy() -> DpiaPolicy:
    return current_app.extensions["ig.policies"].dpia  # type: ignore[no-any-return]


def show_error(form: Any, failed: ValidationFailed) -> None:
    """Put the service's message beside its field, or on the button when no field has it."""
    field = getattr(form, failed.field, None) or form.submit
    field.errors = [failed.message]


@dataclass(frozen=True)
class Level:
    score: int
    label: str
    tag: str


def level_of(score: int | None, grid: DpiaPolicy) -> Level | None:
    if score is None:
        return None
    level = risk_level(score, grid)
    return Level(score, level.label, LEVEL_TAGS[level])


@dataclass(frozen=True)
class DpiaRow:
    dpia: Dpia
    status: str
    status_tag: str
    residual: Level | None
    is_overdue: bool


def dpia_rows(dpias: Iterable[Dpia], grid: DpiaPolicy, today: dt.date) -> list[DpiaRow]:
    rows = []
    for dpia in dpias:
        shown = shown_status(dpia, today)
        rows.append(
            DpiaRow(
                dpia,
                shown.label,
                STATUS_TAGS[shown],
                level_of(dpia.max_residual_score, grid),
                shown is Shown.REVIEW_DUE,
            )
        )
    return rows


@dataclass(frozen=True)
class RiskRow:
    risk: DpiaRisk
    likelihood: str
    severity: str
    inherent: Level
    residual_likelihood: str
    residual_severity: str
    residual: Level


def risk_rows(risks: Iterable[DpiaRisk], grid: DpiaPolicy) -> list[RiskRow]:
    def named(labels: tuple[str, ...], value: int) -> str:
        return f"{value} {labels[value - 1]}" if 1 <= value <= len(labels) else str(value)

    return [
        RiskRow(
            r,
            named(grid.likelihood, r.likelihood),
            named(grid.severity, r.severity),
            level_of(risk_score(r.likelihood, r.severity), grid),  # type: ignore[arg-type]
            named(grid.likelihood, r.residual_likelihood),
            named(grid.severity, r.residual_severity),
            level_of(risk_score(r.residual_likelihood, r.residual_severity), grid),  # type: ignore[arg-type]
        )
        for r in risks
    ]


def grid_cells(risks: Iterable[DpiaRisk], grid: DpiaPolicy) -> list[list[dict[str, Any]]]:
    """The residual grid, highest likelihood first: each cell's level and its risks' numbers."""
    numbered = list(enumerate(risks, start=1))
    rows = []
    for likelihood in range(len(grid.likelihood), 0, -1):
        row = []
        for severity in range(1, len(grid.severity) + 1):
            level = risk_level(risk_score(likelihood, severity), grid)
            found = [
                n
                for n, r in numbered
                if (r.residual_likelihood, r.residual_severity) == (likelihood, severity)
            ]
            row.append({"level": level.label, "tag": LEVEL_TAGS[level], "risks": found})
        rows.append(row)
    return rows


def set_grid_choices(form: RiskForm, grid: DpiaPolicy) -> None:
    # 0 is "not chosen": the service refuses it with the field's message.
    likelihood = [(0, "Select a likelihood")]
    likelihood += [(i, f"{i} {label}") for i, label in enumerate(grid.likelihood, start=1)]
    severity = [(0, "Select a severity")]
    severity += [(i, f"{i} {label}") for i, label in enumerate(grid.severity, start=1)]
    form.likelihood.choices = form.residual_likelihood.choices = likelihood
    form.severity.choices = form.residual_severity.choices = severity


def risk_input(form: RiskForm) -> RiskInput:
    return RiskInput(
        form.description.data or "",
        form.likelihood.data,
        form.severity.data,
        form.measures.data or "",
        form.residual_likelihood.data,
        form.residual_severity.data,
    )


def filters_from(form: DpiaFilterForm) -> DpiaFilter:
    """The filter the form asks for; a bad value is ignored."""
    if not form.validate():
        return DpiaFilter()
    return DpiaFilter(
        status=Shown(form.status.data) if form.status.data else None,
        residual=form.residual.data or None,
        is_overdue=form.overdue.data == "yes",
        sort=form.sort.data or "attention",
        open_on=form.open_on.data,
        overdue_on=form.overdue_on.data,
        signed_from=form.signed_from.data,
        signed_to=form.signed_to.data,
        signed_high=bool(form.signed_high.data),
        consulted_from=form.consulted_from.data,
        consulted_to=form.consulted_to.data,
    )
