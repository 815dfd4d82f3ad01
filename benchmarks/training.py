"""Training at scale: 20,000 staff in 600 teams, 10 courses, 400,000 completions.

Measures, on SQLite and (with IG_BENCH_POSTGRES_URL) PostgreSQL, the server time of
the organisation dashboard, a manager's team page and a large team's page (median and
95th percentile through the Flask test client), the DSPT evidence CSV, the dashboard's
first view after each new completion, and checking plus importing 100,000 completions
(rows a second, peak memory by tracemalloc).

Run: ``python -m benchmarks training`` (``--quick`` for fewer repetitions).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

from benchmarks import _training_data as data
from ig import create_app
from ig.auth.rules import SYSTEM
from ig.crypto import KeyRing, install_keyring, new_key_material
from ig.db import Database, make_engine, utcnow
from ig.features import load_policies
from ig.migrations import upgrade
from ig.settings import Settings
from ig.training import cache
from ig.training.import_check import check_import
from ig.training.imports import apply_import, create_import
from ig.training.models import ImportKind

TARGET_MS = 150.0
TARGET_ROWS = 5000.0
AFTER_A_COMPLETION = "dashboard after a completion"


def _engine(url: str) -> Any:
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    return engine


def _client(app: Any, database: Database, user_id: int) -> Any:
    from ig.auth import service
    from ig.auth.models import User

    with database.session_scope() as session:
        user = session.get(User, user_id)
        new = service.start_session(session, user, "bench", utcnow())
        new.row.is_two_factor_done = True
        token = new.token
    client = app.test_client()
    with client.session_transaction() as browser:
        browser["_user_id"] = token
        browser["_fresh"] = True
    return client


def _time(database: Database, get: Callable[[], Any], repeat: int) -> tuple[float, float, float]:
    """Cold (caches emptied first), then median and 95th percentile warm, in ms."""
    with database.session_scope() as session:
        cache.clear(session)
    start = time.perf_counter()
    assert get().status_code == 200
    cold = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = get()
        response.get_data()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95 + 0.5) - 1)]
    return cold, statistics.median(times), p95


def _after_a_completion(
    database: Database, policies: Any, get: Callable[[], Any], repeat: int
) -> tuple[float, float, float]:
    """The first view after someone records a completion (today's figures are computed
    again; past month ends stay cached), as cold, median and 95th percentile in ms."""
    from ig.people.models import Staff
    from ig.training.service import record_completion

    times = []
    get()  # every month end cached, as on a dashboard in use
    for n in range(repeat + 1):
        with database.session_scope() as session:
            staff = session.get(Staff, n + 1)
            assert staff is not None
            day = data.TODAY - dt.timedelta(days=1000 + n)
            record_completion(
                session, SYSTEM, staff, "DSA", day, data.TODAY, policy=policies.training
            )
        start = time.perf_counter()
        assert get().status_code == 200
        times.append((time.perf_counter() - start) * 1000)
    cold = times.pop(0)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95 + 0.5) - 1)]
    return cold, statistics.median(times), p95


def _csv_file(path: Path, rows: int, offset: int = 0) -> None:
    """New completions: five for each of 20,000 people, on dates not yet used."""
    codes = ["DSA", "IGF", "CYB", "FRD", "SAF"]
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Staff number,Course code,Completion date\n")
        for n in range(rows):
            person = n % data.STAFF + 1
            day = data.TODAY - dt.timedelta(days=1600 + 10 * offset + n // data.STAFF)
            handle.write(f"E{person:06d},{codes[n // data.STAFF % 5]},{day:%d/%m/%Y}\n")


def _import(
    database: Database, policies: Any, directory: Path, rows: int, measure_memory: bool
) -> dict[str, float]:
    """Check and import ``rows`` new completions; time it, or (tracing slows Python
    down several times over) trace its peak memory instead."""
    path = directory / f"completions-{rows}-{measure_memory}.csv"
    _csv_file(path, rows, offset=0 if measure_memory else 3)
    if measure_memory:
        tracemalloc.start()
    start = time.perf_counter()
    with database.session_scope() as session:
        job = create_import(session, SYSTEM, ImportKind.COMPLETIONS, path.read_bytes(), path.name)
        check_import(session, job, policies.training, data.TODAY)
        checked = time.perf_counter()
        apply_import(session, SYSTEM, job, policies.training, data.TODAY)
        added = job.rows_added
    end = time.perf_counter()
    peak = tracemalloc.get_traced_memory()[1] if measure_memory else 0
    tracemalloc.stop()
    return {
        "rows": rows,
        "added": added,
        "seconds": end - start,
        "rows_per_s": rows / (end - start),
        "check_s": checked - start,
        "peak_mib": peak / 2**20,
        "memory": measure_memory,
    }


def bench(url: str, repeat: int) -> dict[str, Any]:
    """Build the data set in ``url`` and take every measurement."""
    install_keyring(KeyRing.from_material({**new_key_material("bench"), "source": "bench"}))
    policies_dir = data.policies_dir()
    policies = load_policies(policies_dir)
    engine = _engine(url)
    started = time.perf_counter()
    users = data.build(engine, list(policies.training.courses))
    built = time.perf_counter() - started
    database = Database(engine)
    instance = Path(tempfile.mkdtemp(prefix="ig-bench-"))
    settings = Settings(
        env="test",
        database_url=url,
        secret_key=secrets.token_urlsafe(48),
        key_material=new_key_material("bench"),
        policies_dir=policies_dir,
        instance_path=instance,
    )
    install_keyring(KeyRing.from_material({**new_key_material("bench"), "source": "bench"}))
    app = create_app(settings, database)
    ig = _client(app, database, users["ig"])
    manager = _client(app, database, users["manager"])
    large = _client(app, database, users["large_manager"])
    result: dict[str, Any] = {"database": engine.dialect.name, "build_s": built}
    result["organisation dashboard"] = _time(database, lambda: ig.get("/training/"), repeat)
    result["organisation at 31 March"] = _time(
        database, lambda: ig.get("/training/?on=31&on=3&on=2026"), repeat
    )
    result["manager's team page"] = _time(database, lambda: manager.get("/training/team"), repeat)
    result["large team, overdue, page 2"] = _time(
        database, lambda: large.get("/training/team?status=overdue&sort=worst&page=2"), repeat
    )
    result["evidence CSV"] = _time(
        database, lambda: ig.get("/training/evidence.csv"), max(3, repeat // 5)
    )
    result[AFTER_A_COMPLETION] = _after_a_completion(
        database, policies, lambda: ig.get("/training/"), max(3, repeat // 5)
    )
    result["import 100,000 (timed)"] = _import(database, policies, instance, 100_000, False)
    result["import 20,000 (memory)"] = _import(database, policies, instance, 20_000, True)
    result["import 100,000 (memory)"] = _import(database, policies, instance, 100_000, True)
    engine.dispose()
    return result


def report(result: dict[str, Any]) -> None:
    print(f"-- {result['database']} (data set built in {result['build_s']:.1f} s)")
    for name, value in result.items():
        if isinstance(value, tuple) and name == AFTER_A_COMPLETION:
            first, median, p95 = value
            print(
                f"   {name:<30} first {first:7.0f} ms   median {median:6.1f} ms   "
                f"p95 {p95:6.1f} ms   (the first view after each change; no target)"
            )
        elif isinstance(value, tuple):
            cold, median, p95 = value
            verdict = "meets" if p95 < TARGET_MS else "MISSES"
            print(
                f"   {name:<30} cold {cold:8.0f} ms   median {median:6.1f} ms   "
                f"p95 {p95:6.1f} ms   ({verdict} the {TARGET_MS:.0f} ms target when warm)"
            )
        elif isinstance(value, dict) and value["memory"]:
            print(
                f"   {name:<30} peak traced memory {value['peak_mib']:.1f} MiB "
                f"({value['added']} added; timings under tracing are not comparable)"
            )
        elif isinstance(value, dict):
            verdict = "meets" if value["rows_per_s"] >= TARGET_ROWS else "MISSES"
            print(
                f"   {name:<30} {value['rows_per_s']:8.0f} rows/s ({value['seconds']:.1f} s, "
                f"of which checking {value['check_s']:.1f} s; {value['added']} added) "
                f"({verdict} {TARGET_ROWS:.0f} rows/s)"
            )


def run(args: list[str]) -> None:
    repeat = 10 if "--quick" in args else 40
    urls = [f"sqlite:///{tempfile.mkdtemp(prefix='ig-bench-db-')}/bench.sqlite3"]
    if os.environ.get("IG_BENCH_POSTGRES_URL"):
        urls.append(os.environ["IG_BENCH_POSTGRES_URL"])
    else:
        print("(set IG_BENCH_POSTGRES_URL to measure PostgreSQL too; it is emptied first)")
    for url in urls:
        report(bench(url, repeat))


if __name__ == "__main__":
    run([])
