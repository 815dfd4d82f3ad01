"""A stored report made ready to show: the board paper, or the scrutiny-panel version.

Everything shown comes from the stored ``content``, never from the registers, so a report
reissues exactly as it was generated. The scrutiny-panel version leaves out names, links
and identifiers, and withholds counts of people below the policy's threshold.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ig.reports.chart import Chart, line_chart
from ig.reports.models import StoredReport
from ig.reports.rules import show_public, show_value

# (endpoint, args, permission) -> the address of the records behind a figure, or None
# where the reader may not see them (or the page no longer exists).
Linker = Callable[[str, Mapping[str, Any], str | None], str | None]


@dataclass(frozen=True)
class FigureRow:
    key: str
    label: str
    value: str
    now: str | None  # "as now known", only where it differs from "as recorded then"
    href: str | None


@dataclass(frozen=True)
class Group:
    heading: str
    rows: list[FigureRow]


@dataclass(frozen=True)
class SectionView:
    key: str
    title: str
    groups: list[Group]
    has_changes: bool


@dataclass(frozen=True)
class Trend:
    label: str
    values: list[str]
    target: str | None
    chart: Chart


@dataclass(frozen=True)
class ReportView:
    id: int
    title: str
    start: Any
    end: Any
    generated_at: Any
    generated_by: str | None
    scrutiny: bool
    threshold: int
    sections: list[SectionView]
    quarters: list[str]
    trends: list[Trend]
    glossary: list[tuple[str, str]]
    policy_versions: Mapping[str, Any]


def _shower(scrutiny: bool, threshold: int) -> Callable[[dict[str, Any], Any], str]:
    def show(figure: dict[str, Any], value: Any) -> str:
        if scrutiny:
            return show_public(value, figure["unit"], figure["counts_people"], threshold)
        return show_value(value, figure["unit"])

    return show


def _section(
    section: dict[str, Any],
    now: Mapping[str, Any],
    show: Callable[[dict[str, Any], Any], str],
    link: Linker | None,
) -> SectionView:
    groups: list[Group] = []
    changed = False
    for figure in section["figures"]:
        value = show(figure, figure["value"])
        later = show(figure, now.get(figure["key"], figure["value"]))
        changed = changed or later != value
        href = None
        if link is not None and figure["endpoint"]:
            href = link(figure["endpoint"], figure["args"], figure["permission"])
        row = FigureRow(
            figure["key"], figure["label"], value, later if later != value else None, href
        )
        if groups and groups[-1].heading == figure["group"]:
            groups[-1].rows.append(row)
        else:
            groups.append(Group(figure["group"], [row]))
    return SectionView(section["key"], section["title"], groups, changed)


def glossary(sections: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Each definition once, in the report's order: under the figure's label, or under
    its group's heading when several figures of the group share it."""
    shared: dict[str, int] = {}
    for section in sections:
        for figure in section["figures"]:
            shared[figure["definition"]] = shared.get(figure["definition"], 0) + 1
    seen: set[str] = set()
    terms = []
    for section in sections:
        for figure in section["figures"]:
            definition = figure["definition"]
            if definition in seen:
                continue
            seen.add(definition)
            many = shared[definition] > 1 and figure["group"]
            terms.append(
                (f"{section['title']}: {figure['group'] if many else figure['label']}", definition)
            )
    return terms


def _trends(
    content: dict[str, Any], show: Callable[[dict[str, Any], Any], str]
) -> tuple[list[str], list[Trend]]:
    trend = content["trend"]
    quarters = [q["label"] for q in trend["quarters"]]
    figures = {f["key"]: (s["title"], f) for s in content["then"] for f in s["figures"]}
    trends = []
    for key, values in trend["series"].items():
        if key not in figures:
            continue
        # Named with its section, as in the glossary: two sections count "Requests received".
        section, figure = figures[key]
        label = f"{section}: {figure['label']}"
        shown = [show(figure, v) for v in values]
        # The chart plots only what the table shows: a withheld count is left out of it.
        plotted = [None if s.startswith("fewer") else v for s, v in zip(shown, values, strict=True)]
        target = figure["target"]
        trends.append(
            Trend(
                label,
                shown,
                None if target is None else show_value(target, figure["unit"]),
                line_chart(f"trend-{key}", label, quarters, plotted, target, figure["unit"]),
            )
        )
    return quarters, trends


def present_report(
    report: StoredReport, link: Linker | None, *, scrutiny: bool, threshold: int
) -> ReportView:
    """The report ready to show; ``scrutiny`` for the version fit to publish (no links,
    no names, small counts of people withheld)."""
    content = report.content
    show = _shower(scrutiny, threshold)
    now = {f["key"]: f["value"] for s in content["now"] for f in s["figures"]}
    sections = [_section(s, now, show, None if scrutiny else link) for s in content["then"]]
    quarters, trends = _trends(content, show)
    return ReportView(
        id=report.id,
        title=report.title,
        start=report.period_start,
        end=report.period_end,
        generated_at=report.generated_at,
        generated_by=None if scrutiny else report.generated_by_label,
        scrutiny=scrutiny,
        threshold=threshold,
        sections=sections,
        quarters=quarters,
        trends=trends,
        glossary=glossary(content["then"]),
        policy_versions=report.policy_versions,
    )
