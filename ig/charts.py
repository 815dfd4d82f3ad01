"""The widths of the bars in the ``ig-chart`` bar charts, which the pages draw beside a
table of the same figures: each bar's width class, 0 to 100 (per cent of its track)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Bar(NamedTuple):
    """One bar: its label, its figure and its width class."""

    label: str
    value: float
    width: int


def bars(pairs: Iterable[tuple[str, float]]) -> list[Bar]:
    """Bars scaled to the largest figure, so the longest bar fills the track."""
    pairs = list(pairs)
    largest = max((value for _, value in pairs), default=0)
    return [
        Bar(label, value, round(100 * value / largest) if largest else 0) for label, value in pairs
    ]


def percent_bars(pairs: Iterable[tuple[str, float]]) -> list[Bar]:
    """Bars of percentages, each drawn against 100%."""
    return [Bar(label, value, max(0, min(100, round(value)))) for label, value in pairs]
