"""The DSPT evidence: each item of policies/dspt.toml with its IG report figures.

The figures come from the report's own sections (``app.extensions["ig.report_sections"]``),
so the evidence and the SIRO's report never disagree on what a figure means.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from ig.db import Base
from ig.dspt.policy import DsptPolicy, EvidenceItem
from ig.feature import Figure, ReportPeriod, ReportSection
from ig.policies import Policies

# The financial year starts on 1 April, as the toolkit's annual submission does.
YEAR_STARTS = 4


@dataclass(frozen=True)
class ItemEvidence:
    """An evidence item with the figures it names, in its order (those found)."""

    item: EvidenceItem
    figures: tuple[Figure, ...]


def financial_year_to_date(today: dt.date) -> ReportPeriod:
    """From 1 April of the financial year ``today`` falls in to ``today``, as now known."""
    year = today.year if today.month >= YEAR_STARTS else today.year - 1
    return ReportPeriod(dt.date(year, YEAR_STARTS, 1), today, None)


def _figures(
    session: Session, policies: Policies, sections: Iterable[ReportSection], period: ReportPeriod
) -> dict[str, Figure]:
    return {
        figure.key: figure
        for section in sections
        for figure in section(session, policies, period).figures
    }


def gather_evidence(
    session: Session,
    policies: Policies,
    sections: Iterable[ReportSection],
    period: ReportPeriod,
) -> list[ItemEvidence]:
    """Each evidence item with its figures for ``period``, every section run once."""
    policy: DsptPolicy = policies.dspt
    found = _figures(session, policies, sections, period)
    return [
        ItemEvidence(item, tuple(found[key] for key in item.figures if key in found))
        for item in policy.items
    ]


# The keys each (sections, policy directory) gives: worked out once per process.
_OFFERED: dict[tuple[tuple[ReportSection, ...], Path], frozenset[str]] = {}


def figure_keys_offered(sections: tuple[ReportSection, ...], policies: Policies) -> frozenset[str]:
    """The keys of the figures the sections give whatever the records hold.

    The sections run on an empty schema in an in-memory database, once per process, so
    a key that only some records give (one team's compliance) does not pass: the
    evidence names only keys that are always there.
    """
    cache_key = (sections, policies.directory)
    if cache_key not in _OFFERED:
        engine = create_engine("sqlite://")
        Base.metadata.create_all(engine)
        period = financial_year_to_date(dt.date(2026, 6, 30))
        with Session(engine) as session:
            _OFFERED[cache_key] = frozenset(_figures(session, policies, sections, period))
        engine.dispose()
    return _OFFERED[cache_key]
