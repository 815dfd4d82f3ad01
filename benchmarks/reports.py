"""Generating the IG report for a quarter at council scale (the load benchmark's data:
20,000 staff with 400,000 completions, 100,000 incidents, 10,000 agreements), with every
report section and the eight-quarter trends. Target (issue 19): under 5 s.

Run: ``python -m benchmarks reports [--quick]`` (SQLite; set IG_BENCH_POSTGRES_URL to
measure PostgreSQL too: that database's contents are replaced).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from benchmarks import _reminders_data, _training_data
from benchmarks._incidents_data import NOW
from ig.auth.rules import SYSTEM
from ig.crypto import KeyRing, install_keyring, new_key_material
from ig.db import make_engine
from ig.features import load_policies, report_sections
from ig.migrations import upgrade
from ig.reports.rules import previous, quarter_containing
from ig.reports.service import generate_report

TARGET_S = 5.0


def _measure(backend: str, url: str, count: int) -> bool:
    install_keyring(KeyRing.from_material({**new_key_material("bench"), "source": "benchmark"}))
    engine = make_engine(url)
    if backend == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    policies = load_policies(_training_data.policies_dir())
    made = _reminders_data.build(engine, policies, scale=100_000 // count)
    quarter = previous(quarter_containing(NOW.date(), 4), 4)
    with Session(engine) as session:
        started = time.perf_counter()
        generate_report(
            session, SYSTEM, policies, report_sections(), quarter.start, quarter.end, NOW
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


def run(args: list[str]) -> None:
    """Generate the data on each database and time one quarter's report."""
    count = 10_000 if "--quick" in args else 100_000
    directory = Path(tempfile.mkdtemp(prefix="ig-bench-reports-"))
    backends = [("sqlite", f"sqlite:///{directory / 'bench.sqlite3'}")]
    if os.environ.get("IG_BENCH_POSTGRES_URL"):
        backends.append(("postgresql", os.environ["IG_BENCH_POSTGRES_URL"]))
    results = [_measure(backend, url, count) for backend, url in backends]
    print(f"  target: under {TARGET_S:.0f} s: {'met' if all(results) else 'NOT met'}")
