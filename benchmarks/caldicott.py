"""Caldicott decision log at scale: 20,000 requests with decision versions (a fifth of the
decided ones amended); the log (filtered, sorted, paged), the Guardian's queue and a
decision page timed through the Flask test client on SQLite and, when
IG_BENCH_POSTGRES_URL is set, PostgreSQL.

Target: each page under 150 ms at the 95th percentile. ``--quick`` uses 5,000 requests.
"""

from __future__ import annotations

import os
import random
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import text

from benchmarks._caldicott_data import GUARDIAN, generate
from ig import create_app
from ig.auth import service as auth_service
from ig.auth.models import User
from ig.crypto import KeyRing, install_keyring, new_key_material
from ig.db import Database, make_engine, utcnow
from ig.features import load_policies
from ig.migrations import upgrade
from ig.settings import PROJECT_ROOT, Settings

TARGET_MS = 150.0
RUNS = 40


def _app(url: str, key_material: dict[str, object], instance: Path) -> Flask:
    settings = Settings(
        env="test", database_url=url, secret_key=secrets.token_urlsafe(48),
        key_material=key_material, policies_dir=PROJECT_ROOT / "policies",
        instance_path=instance,
    )  # fmt: skip
    return create_app(settings, Database(make_engine(url)))


def _signed_in_client(app: Flask) -> Any:
    with app.extensions["ig.db"].session_scope() as session:
        user = session.get(User, GUARDIAN)
        new = auth_service.start_session(session, user, "benchmark", utcnow())
        new.row.is_two_factor_done = True
        token = new.token
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"] = token
        cookie["_fresh"] = True
    return client


def _time(client: Any, paths: Callable[[int], str]) -> tuple[float, float]:
    timings = []
    for run in range(-3, RUNS):  # three warm-up requests are not counted
        path = paths(run)
        start = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        if run >= 0:
            timings.append(elapsed)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def _pages(references: list[str]) -> dict[str, Callable[[int], str]]:
    rng = random.Random(7)  # noqa: S311 - benchmark sampling, not security
    picks = [rng.choice(references) for _ in range(RUNS + 3)]
    return {
        "log, unfiltered": lambda run: "/caldicott/",
        "log, page 100": lambda run: "/caldicott/?page=100",
        "log, decided + type": lambda run: "/caldicott/?status=decided&request_type=research",
        "log, organisation by needed-by": lambda run: (
            f"/caldicott/?organisation={1 + run % 60}&sort=needed_by&order=asc"
        ),
        "log, due for review": lambda run: "/caldicott/?status=due_for_review",
        "log, outcome + dates": lambda run: (
            "/caldicott/?outcome=declined&received_from=1&received_from=1&received_from=2024"
            "&received_to=31&received_to=12&received_to=2025"
        ),
        "Guardian's queue": lambda run: "/caldicott/queue",
        "decision page": lambda run: f"/caldicott/requests/{picks[run + 3]}",
        "printable record": lambda run: f"/caldicott/requests/{picks[run + 3]}/record",
    }


def _measure(backend: str, url: str, count: int) -> bool:
    material = {**new_key_material("bench"), "source": "benchmark"}
    install_keyring(KeyRing.from_material(material))
    engine = make_engine(url)
    if backend == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    started = time.perf_counter()
    generate(engine, load_policies(PROJECT_ROOT / "policies").caldicott, count)
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT count(*) FROM caldicott_decisions")).scalar()
        references = list(connection.execute(text(
            "SELECT reference FROM caldicott_requests WHERE signed_number > 0"
        )).scalars())  # fmt: skip
    took = time.perf_counter() - started
    print(f"  {backend}: generated {count:,} requests, {versions:,} versions in {took:.0f} s")
    engine.dispose()
    app = _app(url, material, Path(tempfile.mkdtemp(prefix="ig-bench-")))
    client = _signed_in_client(app)
    ok = True
    for name, paths in _pages(references).items():
        median, p95 = _time(client, paths)
        verdict = "ok" if p95 < TARGET_MS else "SLOW"
        ok &= p95 < TARGET_MS
        print(f"  {backend:10} {name:32} median {median:6.1f} ms   p95 {p95:6.1f} ms   {verdict}")
    app.extensions["ig.db"].engine.dispose()
    return ok


def run(args: list[str]) -> None:
    """Generate the data on each database and print median and p95 per page."""
    count = 5_000 if "--quick" in args else 20_000
    directory = Path(tempfile.mkdtemp(prefix="ig-bench-caldicott-"))
    backends = [("sqlite", f"sqlite:///{directory / 'bench.sqlite3'}")]
    if os.environ.get("IG_BENCH_POSTGRES_URL"):
        backends.append(("postgresql", os.environ["IG_BENCH_POSTGRES_URL"]))
    else:
        print("  (set IG_BENCH_POSTGRES_URL to measure PostgreSQL too)")
    results = [_measure(backend, url, count) for backend, url in backends]
    print(f"  target: p95 under {TARGET_MS:.0f} ms: {'met' if all(results) else 'NOT met'}")
