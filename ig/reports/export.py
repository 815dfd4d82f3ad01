"""One section of a stored report as CSV: the board's figures, or the scrutiny panel's."""

from __future__ import annotations

import csv
import io
from typing import Any

from ig.errors import NotFound
from ig.reports.models import StoredReport
from ig.reports.rules import suppressed

HEADER = [
    "report",
    "period start",
    "period end",
    "section",
    "figure",
    "group",
    "label",
    "unit",
    "as recorded then",
    "as now known",
    "target",
    "definition",
]
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _section(report: StoredReport, part: str, key: str) -> dict[str, Any]:
    for section in report.content[part]:
        if section["key"] == key:
            return section  # type: ignore[no-any-return]
    raise NotFound("The report has no such section")


def section_csv(report: StoredReport, key: str, *, scrutiny: bool, threshold: int) -> str:
    """The section ``key`` of ``report``, one row per figure; NotFound for no such section.

    The scrutiny panel's withholds counts of people below ``threshold`` ("fewer than 5").
    """
    then = _section(report, "then", key)
    now = {f["key"]: f["value"] for f in _section(report, "now", key)["figures"]}

    def value(figure: dict[str, Any], raw: Any) -> Any:
        if scrutiny and suppressed(raw, figure["counts_people"], threshold):
            return f"fewer than {threshold}"
        return raw

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for figure in then["figures"]:
        raw_now = now.get(figure["key"], figure["value"])
        writer.writerow(
            [
                _cell(report.title),
                report.period_start.isoformat(),
                report.period_end.isoformat(),
                _cell(then["title"]),
                figure["key"],
                _cell(figure["group"]),
                _cell(figure["label"]),
                figure["unit"],
                _cell(value(figure, figure["value"])),
                _cell(value(figure, raw_now)),
                _cell(figure["target"]),
                _cell(figure["definition"]),
            ]
        )
    return buffer.getvalue()
