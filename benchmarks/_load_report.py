"""The load benchmark's figures: percentiles, the ratio to the floor, issue 16's targets
and the printed table. Pure functions of the measurements."""

from __future__ import annotations

import math
import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

RATIO_AT = 10  # the ratio targets hold at 10 concurrent clients
RATIO_TARGET = 10.0
FREQUENT_RATIO_TARGET = 5.0  # home, the registers' first pages, a record page
HEAVY_AT = 50  # at 50 clients: no errors, p95 under 300 ms
P95_TARGET_MS = 300.0
HTML_TARGET_BYTES = 100_000


def percentile(values: list[float], q: float) -> float:
    """The ``q``th percentile (0-100) by nearest rank; ValueError if there are no values."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Row:
    """One page at one number of clients, beside the floor page of the same size."""

    page: str
    clients: int
    requests: int
    p50_ms: float
    p95_ms: float
    rps: float
    bytes: int
    errors: int
    floor_p95_ms: float
    floor_rps: float
    is_html: bool
    is_frequent: bool
    misses: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.p95_ms / self.floor_p95_ms if self.floor_p95_ms > 0 else math.inf

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": round(self.ratio, 2)}


def misses(row: Row) -> list[str]:
    """The issue's targets this row misses, each as a short label (empty when all are met)."""
    found = []
    limit = FREQUENT_RATIO_TARGET if row.is_frequent else RATIO_TARGET
    if row.clients == RATIO_AT and row.ratio > limit:
        found.append(f"ratio>{limit:g}x")
    if row.clients == HEAVY_AT and row.p95_ms > P95_TARGET_MS:
        found.append(f"p95>{P95_TARGET_MS:g}ms")
    if row.errors:
        found.append("errors")
    if row.is_html and row.bytes > HTML_TARGET_BYTES:
        found.append(">100KB")
    return found


def stats(
    timings_ms: list[float], sizes: list[int], wall_s: float
) -> tuple[float, float, float, int]:
    """Median and p95 in ms, requests a second, and the median body size in bytes."""
    if not timings_ms:
        return math.nan, math.nan, 0.0, 0
    rps = len(timings_ms) / wall_s if wall_s > 0 else math.inf
    return (
        percentile(timings_ms, 50),
        percentile(timings_ms, 95),
        rps,
        int(statistics.median(sizes)),
    )


HEADER = (
    f"{'page':34} {'clients':>7} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'bytes':>8} "
    f"{'errors':>6} {'floor p95':>9} {'floor req/s':>11} {'ratio':>7}  targets"
)


def line(row: Row) -> str:
    """One printed line of the table."""
    verdict = ", ".join(row.misses) if row.misses else "ok"
    return (
        f"{row.page:34} {row.clients:7d} {row.p50_ms:8.1f} {row.p95_ms:8.1f} {row.rps:7.1f} "
        f"{row.bytes:8d} {row.errors:6d} {row.floor_p95_ms:9.1f} {row.floor_rps:11.1f} "
        f"{row.ratio:6.1f}x  {verdict}"
    )


def markdown(rows: list[Row]) -> str:
    """The table at 10 and 50 clients, as the README shows it."""
    by_page: dict[str, dict[int, Row]] = {}
    for row in rows:
        by_page.setdefault(row.page, {})[row.clients] = row
    out = [
        "| page | bytes | p50 / p95 at 10 clients | ÷ floor | req/s (floor) | p95 at 50 | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for page, levels in by_page.items():
        ten, fifty = levels.get(RATIO_AT), levels.get(HEAVY_AT)
        if ten is None or fifty is None:
            continue
        out.append(
            f"| {page} | {ten.bytes:,} | {ten.p50_ms:.0f} / {ten.p95_ms:.0f} ms | "
            f"{ten.ratio:.0f}x | {ten.rps:.0f} ({ten.floor_rps:.0f}) | {fifty.p95_ms:.0f} ms | "
            f"{fifty.errors} |"
        )
    return "\n".join(out)
