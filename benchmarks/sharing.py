"""Sharing at scale: 5,000 organisations and 10,000 agreements with 40,000 parties; the
register (filtered, sorted, paged), a partner's view and the "may we share?" check (page
and API) timed through the Flask test client on SQLite and, when IG_BENCH_POSTGRES_URL
is set, PostgreSQL.

Target: each under 150 ms at the 95th percentile. ``--quick`` uses a tenth of the data.
"""

from __future__ import annotations

import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import text

from benchmarks._sharing_data import LONDON, NOW, generate
from ig import create_app
from ig.auth import service as auth_service
from ig.auth import tokens
from ig.auth.models import User
from ig.auth.rules import SYSTEM
from ig.crypto import KeyRing, install_keyring, new_key_material
from ig.db import Database, make_engine
from ig.features import load_policies
from ig.migrations import upgrade
from ig.settings import PROJECT_ROOT, Settings

TARGET_MS = 150.0
RUNS = 40


def _app(url: str, key_material: dict[str, object], instance: Path) -> Flask:
    settings = Settings(
        env="test",
        database_url=url,
        secret_key=secrets.token_urlsafe(48),
        key_material=key_material,
        policies_dir=PROJECT_ROOT / "policies",
        instance_path=instance,
    )
    return create_app(settings, Database(make_engine(url)))


def _clients(app: Flask) -> tuple[Any, dict[str, str]]:
    """A browser signed in as the IG officer, and a bearer token for the API."""
    with app.extensions["ig.db"].session_scope() as session:
        user = session.get(User, 1)
        new = auth_service.start_session(session, user, "benchmark", NOW)
        new.row.is_two_factor_done = True
        _token, raw = tokens.create_token(session, SYSTEM, user, "benchmark", NOW)
        cookie_token = new.token
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"] = cookie_token
        cookie["_fresh"] = True
    return client, {"Authorization": f"Bearer {raw}"}


def _time(client: Any, path: Callable[[int], str], headers: dict[str, str]) -> tuple[float, float]:
    timings = []
    for run in range(-3, RUNS):  # three warm-up requests are not counted
        url = path(run)
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        if run >= 0:
            timings.append(elapsed)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def _pages(partner_ids: list[int]) -> dict[str, tuple[Callable[[int], str], bool]]:
    """name -> (path for run n, whether it is the API)."""
    borough = lambda run: LONDON[run % 33]  # noqa: E731 - a short table of paths
    ask = "category=identity&purpose=direct_care"
    return {
        "register, unfiltered": (lambda run: "/sharing/", False),
        "register, page 50": (lambda run: "/sharing/?page=50", False),
        "register, active by review": (
            lambda run: "/sharing/?state=active&sort=review_on&order=desc",
            False,
        ),
        "register, review due": (lambda run: "/sharing/?state=review_due", False),
        "register, partner + basis": (
            lambda run: f"/sharing/?partner={borough(run)}&lawful_basis=art6_1e",
            False,
        ),
        "register, end dates": (
            lambda run: "/sharing/?end_from=1+1+2027&end_to=31+12+2027&sort=ends_on",
            False,
        ),
        "partner view, borough": (
            lambda run: f"/sharing/organisations/{partner_ids[run % 33]}",
            False,
        ),
        "partner view, other": (
            lambda run: f"/sharing/organisations/{partner_ids[33 + run % 500]}",
            False,
        ),
        "may we share? page": (
            lambda run: f"/sharing/check?organisation={borough(run)}&{ask}",
            False,
        ),
        "may we share? API": (
            lambda run: f"/api/v1/sharing/check?organisation={borough(run)}&{ask}",
            True,
        ),
        "organisations list": (lambda run: "/sharing/organisations/?page=20", False),
        "calendar": (lambda run: "/sharing/calendar", False),
    }


def _partner_ids(app: Flask) -> list[int]:
    with app.extensions["ig.db"].engine.connect() as connection:
        london = (
            connection.execute(
                text("SELECT id FROM organisations WHERE code LIKE 'E09%' ORDER BY code")
            )
            .scalars()
            .all()
        )
        others = (
            connection.execute(
                text(
                    "SELECT id FROM organisations WHERE code IS NULL OR code NOT LIKE 'E09%' "
                    "ORDER BY id LIMIT 500"
                )
            )
            .scalars()
            .all()
        )
    return [*london, *others]


def _measure(backend: str, url: str, organisations: int, agreements: int) -> bool:
    material = {**new_key_material("bench"), "source": "benchmark"}
    install_keyring(KeyRing.from_material(material))
    engine = make_engine(url)
    if backend == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    started = time.perf_counter()
    generate(engine, load_policies(PROJECT_ROOT / "policies").sharing, organisations, agreements)
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
        parties = connection.execute(text("SELECT count(*) FROM sharing_agreement_parties"))
        print(
            f"  {backend}: generated {organisations:,} organisations, {agreements:,} "
            f"agreements, {parties.scalar():,} parties in "
            f"{time.perf_counter() - started:.0f} s"
        )
    engine.dispose()
    app = _app(url, material, Path(tempfile.mkdtemp(prefix="ig-bench-")))
    client, bearer = _clients(app)
    ok = True
    for name, (path, is_api) in _pages(_partner_ids(app)).items():
        median, p95 = _time(
            client if not is_api else app.test_client(), path, bearer if is_api else {}
        )
        verdict = "ok" if p95 < TARGET_MS else "SLOW"
        ok &= p95 < TARGET_MS
        print(f"  {backend:10} {name:28} median {median:6.1f} ms   p95 {p95:6.1f} ms   {verdict}")
    app.extensions["ig.db"].engine.dispose()
    return ok


def run(args: list[str]) -> None:
    """Generate the data on each database and print median and p95 per page."""
    scale = 10 if "--quick" in args else 1
    organisations, agreements = 5_000 // scale, 10_000 // scale
    directory = Path(tempfile.mkdtemp(prefix="ig-bench-sharing-"))
    backends = [("sqlite", f"sqlite:///{directory / 'bench.sqlite3'}")]
    if os.environ.get("IG_BENCH_POSTGRES_URL"):
        backends.append(("postgresql", os.environ["IG_BENCH_POSTGRES_URL"]))
    else:
        print("  (set IG_BENCH_POSTGRES_URL to measure PostgreSQL too)")
    results = [_measure(b, url, organisations, agreements) for b, url in backends]
    print(f"  target: p95 under {TARGET_MS:.0f} ms: {'met' if all(results) else 'NOT met'}")
