"""Generating the IG report for a quarter at council scale, with every report section
and the eight-quarter trends. Target (issue 19): under 5 s.

On SQLite the data is the reminders data set (20,000 staff with 400,000 completions,
100,000 incidents), generated afresh. With IG_BENCH_POSTGRES_URL set, PostgreSQL is
measured on the load benchmark's own database (benchmarks/load.py: every register at
council scale), built on first use and reused: once with the figure cache emptied (the
first report after a start) and once more.

Run: ``python -m benchmarks reports [--quick]``.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from benchmarks import _reminders_data, _training_data
from benchmarks._incidents_data import NOW
from benchmarks._load_data import ensure
from ig import cache
from ig.auth.rules import Actor
from ig.crypto import KeyRing, install_keyring, new_key_material
from ig.db import london_today, make_engine, utcnow
from ig.features import load_policies, report_sections
from ig.migrations import upgrade
from ig.policies import Policies
from ig.reports.models import StoredReport
from ig.reports.rules import Quarter, previous, quarter_containing
from ig.reports.service import GENERATE, generate_report

# Generating a report needs the permission; the benchmark holds it, as the SIRO does.
GENERATOR = Actor(None, "benchmark", permissions=frozenset({GENERATE}))
TARGET_S = 5.0


def _measure(backend: str, url: str, count: int) -> bool:
    install_keyring(KeyRing.from_material({**new_key_material("bench"), "source": "benchmark"}))
    engine = make_engine(url)
    upgrade(engine)
    policies = load_policies(_training_data.policies_dir())
    made = _reminders_data.build(engine, policies, scale=100_000 // count)
    quarter = previous(quarter_containing(NOW.date(), 4), 4)
    with Session(engine) as session:
        started = time.perf_counter()
        generate_report(
            session, GENERATOR, policies, report_sections(), quarter.start, quarter.end, NOW
        )
        elapsed = time.perf_counter() - started
        session.rollback()
    engine.dispose()
    verdict = "ok" if elapsed < TARGET_S else "SLOW"
    print(
        f"  {backend:10} report for {quarter.label} over {made['incidents']:,} incidents, "
        f"{made['staff']:,} staff: {elapsed:.2f} s   {verdict}"
    )
    return elapsed < TARGET_S


def _last_quarter(policies: Policies) -> Quarter:
    starts = policies.reports.year_starts_month
    return previous(quarter_containing(london_today(), starts), starts)


def stored_report_id(url: str, policies_dir: Path) -> int:
    """The newest stored IG report in the database at ``url``; one for the last complete
    quarter is generated and kept first (as the SIRO does) if there is none. The load
    benchmark opens it: a stored report is a page people open."""
    engine = make_engine(url)
    with Session(engine) as session:
        found = session.scalar(select(StoredReport.id).order_by(StoredReport.id.desc()))
        if found is None:
            policies = load_policies(policies_dir)
            quarter = _last_quarter(policies)
            sections = report_sections()
            made = generate_report(
                session, GENERATOR, policies, sections, quarter.start, quarter.end, utcnow()
            )
            session.commit()
            found = made.id
    engine.dispose()
    return found


def _measure_load_database(base_url: str, quick: bool) -> bool:
    """Time the last complete quarter's report on the load benchmark's database."""
    built = ensure(base_url, _training_data.policies_dir(), quick)
    engine = make_engine(built.url)
    policies = load_policies(_training_data.policies_dir())
    quarter = _last_quarter(policies)
    times = []
    for cold in (True, False):
        with Session(engine) as session:
            if cold:
                cache.forget(session)
                session.commit()
            started = time.perf_counter()
            generate_report(
                session,
                GENERATOR,
                policies,
                report_sections(),
                quarter.start,
                quarter.end,
                utcnow(),
            )
            times.append(time.perf_counter() - started)
            session.rollback()
    engine.dispose()
    verdict = "ok" if max(times) < TARGET_S else "SLOW"
    print(
        f"  postgresql report for {quarter.label} on {built.scale}: "
        f"{times[0]:.2f} s cold, {times[1]:.2f} s warm   {verdict}"
    )
    return max(times) < TARGET_S


def run(args: list[str]) -> None:
    """Time one quarter's report on SQLite and, if configured, PostgreSQL."""
    quick = "--quick" in args
    directory = Path(tempfile.mkdtemp(prefix="ig-bench-reports-"))
    count = 10_000 if quick else 100_000
    results = [_measure("sqlite", f"sqlite:///{directory / 'bench.sqlite3'}", count)]
    if os.environ.get("IG_BENCH_POSTGRES_URL"):
        results.append(_measure_load_database(os.environ["IG_BENCH_POSTGRES_URL"], quick))
    print(f"  target: under {TARGET_S:.0f} s: {'met' if all(results) else 'NOT met'}")
