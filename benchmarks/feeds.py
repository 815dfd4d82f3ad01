"""The incidents feed (Power BI's) pulled whole at council scale: 100,000 incidents in
pages by next links, and as one streamed CSV, with the memory Python holds measured
after each page. Target (issue 19): memory flat however long the feed.

It runs in-process against the load benchmark's PostgreSQL database (benchmarks/load.py,
built on first use and reused), so it needs IG_BENCH_POSTGRES_URL.

Run: ``IG_BENCH_POSTGRES_URL=postgresql+psycopg://... python -m benchmarks feeds [--quick]``.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import time
import tracemalloc
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from benchmarks import _training_data
from benchmarks._load_data import ensure
from ig import create_app
from ig.auth.models import User
from ig.auth.rules import SYSTEM
from ig.auth.tokens import READ_ONLY, create_token
from ig.db import Database, make_engine, utcnow
from ig.settings import PROJECT_ROOT, Settings

PAGE_SIZE = 5000
# Memory may grow by this much from the first page to the last before it counts as growing.
FLAT_MB = 5.0
IG_OFFICER = 1  # the data set's IG officer (benchmarks/_training_data.py)


def _app(url: str, keys_file: Path) -> Flask:
    settings = Settings(
        env="test",
        database_url=url,
        secret_key=secrets.token_urlsafe(48),
        key_material=json.loads(keys_file.read_text(encoding="utf-8")),
        policies_dir=PROJECT_ROOT / "policies",
        instance_path=Path(tempfile.mkdtemp(prefix="ig-bench-feeds-")),
    )
    return create_app(settings, Database(make_engine(url)))


def _read_only_token(app: Flask) -> dict[str, str]:
    with app.extensions["ig.db"].session_scope() as session:
        user = session.get(User, IG_OFFICER)
        assert user is not None, "the load data set has no IG officer"
        _, raw = create_token(
            session, SYSTEM, user, "feeds benchmark", utcnow(), days=1, scope=READ_ONLY
        )
    return {"Authorization": f"Bearer {raw}"}


def _mb(size: int) -> float:
    return size / 1_000_000


def _pages(client: FlaskClient, headers: dict[str, str]) -> tuple[int, int, float, list[int]]:
    """Follow the next links to the end: rows, pages, seconds, memory held after each."""
    url: str | None = f"/api/v1/feeds/incidents?page_size={PAGE_SIZE}"
    rows = pages = 0
    held = []
    started = time.perf_counter()
    while url:
        response = client.get(url, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}: {response.text[:200]}")
        body = response.get_json()
        rows += len(body["value"])
        pages += 1
        url = body.get("@odata.nextLink")
        del body, response
        held.append(tracemalloc.get_traced_memory()[0])
    return rows, pages, time.perf_counter() - started, held


def _csv(client: FlaskClient, headers: dict[str, str]) -> tuple[int, float, int]:
    """The whole feed as one streamed CSV, read chunk by chunk: lines, seconds, peak."""
    tracemalloc.reset_peak()
    started = time.perf_counter()
    response = client.get("/api/v1/feeds/incidents.csv", headers=headers, buffered=False)
    lines = sum(chunk.count(b"\n") for chunk in response.response)
    response.close()
    return lines, time.perf_counter() - started, tracemalloc.get_traced_memory()[1]


def run(args: list[str]) -> None:
    """Pull the incidents feed whole, by pages and as CSV, measuring memory as it goes."""
    base_url = os.environ.get("IG_BENCH_POSTGRES_URL")
    if not base_url:
        print("  skipped: set IG_BENCH_POSTGRES_URL (the load benchmark's database)")
        return
    built = ensure(base_url, _training_data.policies_dir(), "--quick" in args)
    app = _app(built.url, built.keys_file)
    client = app.test_client()
    headers = _read_only_token(app)
    tracemalloc.start()
    rows, pages, seconds, held = _pages(client, headers)
    growth = _mb(held[-1] - held[0])
    flat = growth < FLAT_MB
    print(
        f"  JSON: {rows:,} incidents in {pages} pages of {PAGE_SIZE:,} in {seconds:.1f} s; "
        f"memory held after the first page {_mb(held[0]):.1f} MB, after the last "
        f"{_mb(held[-1]):.1f} MB ({'flat' if flat else 'GROWING'})"
    )
    lines, seconds, peak = _csv(client, headers)
    print(f"  CSV: {lines - 1:,} incidents in {seconds:.1f} s; peak {_mb(peak):.1f} MB")
    tracemalloc.stop()
    print(f"  target: memory flat over the feed: {'met' if flat else 'NOT met'}")
