"""A headline figure's trend as the coordinates of a small inline SVG line chart.

The template draws what this computes; the trends table after the charts carries the
same values for screen readers and for print, so the chart is described, not relied on.
Each quarter's dot is a marker on the line (defined once a page), so a chart stays
small: a report draws a few dozen of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ig.reports.rules import show_value

WIDTH, HEIGHT = 320, 140
LEFT, RIGHT, TOP, BOTTOM = 60, 12, 12, 28


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    points: str
    dots: list[Dot]
    target_y: float | None
    top_label: str
    first_label: str
    last_label: str
    plot_left: int
    plot_right: int
    plot_bottom: int


def _scale_top(values: list[float], target: float | None, unit: str) -> float:
    if unit == "percent":
        return 100.0
    highest = max([*values, target or 0, 1])
    return float(highest) * 1.1


def _points(dots: list[Dot]) -> str:
    """The line's points, compact; a lone dot twice, so that its marker is drawn."""
    points = [f"{d.x:g},{d.y:g}" for d in dots]
    return " ".join(points * 2 if len(points) == 1 else points)


def line_chart(
    chart_id: str,
    label: str,
    quarters: list[str],
    values: list[float | None],
    target: float | None,
    unit: str,
) -> Chart:
    """The chart of ``values`` (None: not shown) over ``quarters``, with the target line."""
    known = [v for v in values if v is not None]
    top = _scale_top(known, target, unit)
    span_x = WIDTH - LEFT - RIGHT
    span_y = HEIGHT - TOP - BOTTOM
    step = span_x / max(len(quarters) - 1, 1)

    def y_of(value: float) -> float:
        return round(TOP + span_y * (1 - value / top), 1)

    dots = [
        Dot(round(LEFT + i * step, 1), y_of(v), f"{quarters[i]}: {show_value(v, unit)}")
        for i, v in enumerate(values)
        if v is not None
    ]
    described = "; ".join(dot.text for dot in dots) or "no figures"
    target_text = "" if target is None else f" Target {show_value(target, unit)}."
    return Chart(
        id=chart_id.replace(".", "-"),
        title=f"{label}, {quarters[0]} to {quarters[-1]}" if quarters else label,
        description=f"{described}.{target_text}",
        width=WIDTH,
        height=HEIGHT,
        points=_points(dots),
        dots=dots,
        target_y=None if target is None else y_of(target),
        top_label=show_value(top if unit == "percent" else round(top), unit),
        first_label=quarters[0] if quarters else "",
        last_label=quarters[-1] if quarters else "",
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_bottom=HEIGHT - BOTTOM,
    )
