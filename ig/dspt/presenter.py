"""The DSPT evidence page's rows: each figure's value in words and the links the signed-in
person may follow."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import url_for

from ig.dspt.evidence import ItemEvidence
from ig.feature import Figure

UNITS = {"percent": "%", "hours": " hours", "days": " days"}


@dataclass(frozen=True)
class ShownFigure:
    label: str
    value: str
    target: str
    definition: str
    href: str | None


@dataclass(frozen=True)
class ShownLink:
    label: str
    href: str


@dataclass(frozen=True)
class ShownItem:
    key: str
    title: str
    standard: str
    evidence: str
    figures: tuple[ShownFigure, ...]
    links: tuple[ShownLink, ...]
    hidden_lists: int  # lists the person may not open, said rather than linked


def format_value(value: float | None, unit: str) -> str:
    """A figure's value as shown: "95.2%", "12", "4.5 hours"; "None to count" for None."""
    if value is None:
        return "None to count"
    number = f"{value:,.1f}".removesuffix(".0") if unit != "count" else f"{value:,.0f}"
    return number + UNITS.get(unit, "")


def _figure(figure: Figure, may: Callable[[str | None], bool]) -> ShownFigure:
    href = None
    if figure.endpoint and figure.permission and may(figure.permission):
        href = url_for(figure.endpoint, **figure.args)
    target = (
        f"Target {format_value(figure.target, figure.unit)}" if figure.target is not None else ""
    )
    return ShownFigure(
        figure.label, format_value(figure.value, figure.unit), target, figure.definition, href
    )


def show_items(
    evidence: list[ItemEvidence],
    may: Callable[[str | None], bool],
    permission_of: Callable[[str], str | None],
) -> list[ShownItem]:
    """The page's items; ``may`` says whether the person holds a permission and
    ``permission_of`` which permission a page needs."""
    shown = []
    for found in evidence:
        item = found.item
        open_lists = [e for e in item.lists if may(permission_of(e.endpoint))]
        links = tuple(ShownLink(e.label, _url(e.endpoint, e.args)) for e in open_lists)
        shown.append(
            ShownItem(
                item.key,
                item.title,
                item.standard,
                item.evidence,
                tuple(_figure(figure, may) for figure in found.figures),
                links,
                len(item.lists) - len(open_lists),
            )
        )
    return shown


def _url(endpoint: str, args: Mapping[str, Any]) -> str:
    return url_for(endpoint, **args)
