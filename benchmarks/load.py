"""ig under load as a council serves it: gunicorn from ``wsgi.py`` (IG_ENV=production) on
the council-scale PostgreSQL database of _load_data.py, every main page and API list
driven for each role by 1, 10 and 50 concurrent keep-alive clients on loopback, each
page beside the floor: a bare Flask page of the same byte size (_floor.py) served by
gunicorn the same way in the same run. The ratio of p95s is the figure that counts.

Targets (issue 16): at 10 clients p95 within 10x of the floor (5x for home, the
registers' first pages and a record page); at 50 clients no errors and p95 under
300 ms; no page over 100 KB of HTML. Also reports the workers' memory (RSS and PSS,
_load_memory.py) at the start and over the soak, and writes benchmarks/results/load-<time>.json.

Run: ``IG_BENCH_POSTGRES_URL=postgresql+psycopg://... python -m benchmarks load``
[--quick] [--servers=N] [--workers=N] [--threads=N] [--soak=N]: by default two app servers (two
gunicorn processes on their own ports, one database, the clients spread between them)
of two workers each, and as many floor servers; then a soak of 10,000 more requests
over every page, for memory. The database is built once and reused.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import os
import random
import secrets
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text

from benchmarks import _load_memory as memory
from benchmarks import _load_report as report
from benchmarks import _training_data
from benchmarks._load_client import drive
from benchmarks._load_data import RESULTS, ensure
from benchmarks._load_people import Credentials, sign_in
from benchmarks._load_servers import Gunicorn
from benchmarks.reports import stored_report_id
from ig.db import make_engine
from ig.features import load_policies

LEVELS = (1, 10, 50)
SAMPLE = 200  # records of each kind that record pages cycle through
FLOOR_REQUESTS = 200


@dataclass(frozen=True)
class Page:
    """A page to drive: who asks for it, its paths (by request number), and its kind."""

    name: str
    role: str
    paths: Callable[[int], str]
    is_html: bool = True
    is_frequent: bool = False
    api: bool = False


def _samples(url: str) -> dict[str, list[str]]:
    queries = {
        "incident": "SELECT reference FROM incidents ORDER BY id",
        "decision": "SELECT reference FROM caldicott_requests WHERE status = 'decided' ORDER BY id",
        "agreement": "SELECT CAST(id AS TEXT) FROM sharing_agreements ORDER BY id",
        "asset": "SELECT CAST(id AS TEXT) FROM information_assets ORDER BY id",
        "dpia": "SELECT CAST(id AS TEXT) FROM dpias ORDER BY id",
    }
    engine = make_engine(url)
    rng = random.Random(16)  # noqa: S311 - sampling, not security
    with engine.connect() as connection:
        found = {k: list(connection.execute(text(q)).scalars()) for k, q in queries.items()}
    engine.dispose()
    return {kind: rng.sample(values, min(SAMPLE, len(values))) for kind, values in found.items()}


def _cycle(prefix: str, values: list[str]) -> Callable[[int], str]:
    return lambda n: prefix + values[n % len(values)]


def _fixed(path: str) -> Callable[[int], str]:
    return lambda n: path


def _api(name: str, role: str, path: str) -> Page:
    return Page(name, role, _fixed(path), is_html=False, api=True)


def _pages(url: str, policies_dir: Path) -> list[Page]:
    sample = _samples(url)
    stored = f"/reports/{stored_report_id(url, policies_dir)}"
    sharing = load_policies(policies_dir).sharing
    check = (
        f"/api/v1/sharing/check?organisation=E09000001&category={sorted(sharing.categories)[0]}"
        f"&purpose={sorted(sharing.purposes)[0]}"
    )
    officer, guardian = "ig_officer", "caldicott_guardian"
    incident = _cycle("/incidents/", sample["incident"])
    decision = _cycle("/caldicott/requests/", sample["decision"])
    agreement = _cycle("/sharing/agreements/", sample["agreement"])
    return [
        Page("home (IG officer)", officer, _fixed("/"), is_frequent=True),
        Page("home (Caldicott Guardian)", guardian, _fixed("/"), is_frequent=True),
        Page("home (manager)", "manager", _fixed("/"), is_frequent=True),
        Page("home (staff)", "staff", _fixed("/"), is_frequent=True),
        Page("incident register", officer, _fixed("/incidents/"), is_frequent=True),
        Page("incident record", officer, incident, is_frequent=True),
        Page("incident dashboard", officer, _fixed("/incidents/dashboard")),
        Page("Caldicott log", guardian, _fixed("/caldicott/"), is_frequent=True),
        Page("Caldicott decision", guardian, decision, is_frequent=True),
        Page("sharing register", officer, _fixed("/sharing/"), is_frequent=True),
        Page("agreement", officer, agreement, is_frequent=True),
        Page("training dashboard", officer, _fixed("/training/")),
        Page("manager's team", "manager", _fixed("/training/team")),
        Page("privacy notices register", officer, _fixed("/notices/"), is_frequent=True),
        Page("audit trail", officer, _fixed("/audit/")),
        Page("asset register", officer, _fixed("/assets/"), is_frequent=True),
        Page("asset", officer, _cycle("/assets/", sample["asset"]), is_frequent=True),
        Page("record of processing", officer, _fixed("/processing/"), is_frequent=True),
        Page("DPIA register", officer, _fixed("/dpias/"), is_frequent=True),
        Page("DPIA", officer, _cycle("/dpias/", sample["dpia"]), is_frequent=True),
        Page("processor contracts", officer, _fixed("/contracts/"), is_frequent=True),
        Page("access report", officer, _fixed("/access/report"), is_frequent=True),
        Page("access to recertify", "manager", _fixed("/access/recertify")),
        Page("stored IG report", officer, _fixed(stored), is_frequent=True),
        Page("stored IG report, scrutiny", officer, _fixed(f"{stored}/scrutiny")),
        _api("API incidents", officer, "/api/v1/incidents"),
        _api("API training compliance", officer, "/api/v1/training/compliance"),
        _api("API sharing check", "staff", check),
    ]


def _requests(clients: int, quick: bool) -> int:
    """How many requests each page gets at ``clients``: enough for a p95, bounded in time."""
    return max(10 if quick else 20, (2 if quick else 4) * clients)


async def _row(page: Page, headers: dict[str, str], ports: Ports, clients: int,
               quick: bool) -> report.Row:  # fmt: skip
    """Warm the page up, drive it, then drive the floor page of the body size it served."""
    count = _requests(clients, quick)
    warm = max(2, min(clients, 4))  # two at once or more, so every worker is likely warmed
    await drive(ports.app, headers, page.paths, warm, 2 * warm)
    measured = await drive(ports.app, headers, page.paths, clients, count)
    p50, p95, rps, size = report.stats(measured.timings_ms, measured.sizes, measured.wall_s)
    floor_path = f"/{size}"
    await drive(ports.floor, {}, _fixed(floor_path), warm, 2 * warm)
    # The floor answers in a few ms: more requests steady its p95 at no real cost.
    floor = await drive(ports.floor, {}, _fixed(floor_path), clients, max(count, FLOOR_REQUESTS))
    _, floor_p95, floor_rps, _ = report.stats(floor.timings_ms, floor.sizes, floor.wall_s)
    row = report.Row(
        page.name, clients, count, p50, p95, rps, size, measured.errors, floor_p95, floor_rps,
        page.is_html, page.is_frequent,
    )  # fmt: skip
    return dataclasses.replace(row, misses=report.misses(row))


async def _drive_all(pages: list[Page], people: dict[str, Credentials], ports: Ports,
                     quick: bool) -> list[report.Row]:  # fmt: skip
    rows = []
    for clients in LEVELS:
        print(f"  -- {clients} client{'s' if clients > 1 else ''}")
        for page in pages:
            credentials = people[page.role]
            headers = credentials.api if page.api else credentials.cookie
            row = await _row(page, headers, ports, clients, quick)
            print("  " + report.line(row), flush=True)
            rows.append(row)
    return rows


@dataclass(frozen=True)
class Ports:
    """Where the app servers and the floor's servers listen: as many of each."""

    app: tuple[int, ...]
    floor: tuple[int, ...]


def _options(args: list[str]) -> dict[str, int]:
    found = {"workers": 2, "threads": 1, "servers": 2, "soak": 10_000}
    for arg in args:
        name, _, value = arg.lstrip("-").partition("=")
        if name in found and value.isdigit():
            found[name] = int(value)
    return found


def _environment(url: str, keys_file: Path, policies_dir: Path, directory: Path) -> dict[str, str]:
    """Production settings, as the README's Production section sets them."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "IG_ENV": "production",
        "IG_INSTANCE_PATH": str(directory / "instance"),
        "IG_DATABASE_URL": url,
        "IG_SECRET_KEY": secrets.token_urlsafe(48),
        "IG_DATA_KEYS_FILE": str(keys_file),
        "IG_POLICIES_DIR": str(policies_dir),
    }


def _save(result: dict[str, object]) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"load-{stamp}.json"
    path.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return path


def _serve(env: dict[str, str], directory: Path, options: dict[str, int]) -> list[Gunicorn]:
    """``servers`` app servers (gunicorn from wsgi.py, each its own process and port, one
    database), then as many floor servers; each with ``workers`` x ``threads``."""
    shape = (options["workers"], options["threads"])
    started = []
    for app, probe in (("wsgi:app", "/healthz"), ("benchmarks._floor:create_floor()", "/1")):
        for n in range(options["servers"]):
            server = Gunicorn(app, env, directory / f"{probe.strip('/')}-{n}", *shape)
            server.wait(probe)
            started.append(server)
    return started


def _measure(
    env: dict[str, str], directory: Path, options: dict[str, int], pages: list[Page],
    people: dict[str, Credentials], quick: bool,
) -> tuple[list[report.Row], dict[str, Any]]:  # fmt: skip
    """Start both servers, drive every page, stop them; the rows and the run's context."""
    load_before = os.getloadavg()  # other work on the machine slows both servers
    servers = _serve(env, directory, options)
    apps, floors = servers[: options["servers"]], servers[options["servers"] :]
    try:
        at_start = memory.summary(memory.workers(apps))
        shape = f"{options['servers']} app servers of {options['workers']} workers"
        print(f"  gunicorn: {shape} x {options['threads']} threads; largest worker {at_start}")
        print("  " + report.HEADER)
        ports = Ports(tuple(s.port for s in apps), tuple(s.port for s in floors))
        rows = asyncio.run(_drive_all(pages, people, ports, quick))
        soaked = asyncio.run(memory.soak(apps, options["soak"], _share(pages, people, ports)))
    finally:
        for server in servers:
            server.stop()
    context = {"options": options, "quick": quick, "memory_at_start": at_start,
               "soak": soaked, "load_average_before": load_before,
               "load_average_after": os.getloadavg()}  # fmt: skip
    return rows, context


def _share(
    pages: list[Page], people: dict[str, Credentials], ports: Ports
) -> Callable[[int], Awaitable[None]]:
    """Send n requests at 10 clients, spread evenly over every page (the soak)."""

    async def send(n: int) -> None:
        for page in pages:
            credentials = people[page.role]
            headers = credentials.api if page.api else credentials.cookie
            await drive(ports.app, headers, page.paths, 10, max(1, n // len(pages)))

    return send


def _loads(averages: tuple[float, ...]) -> str:
    return ", ".join(f"{n:.1f}" for n in averages)


def run(args: list[str]) -> None:
    """Build or reuse the database, start both servers, drive every page, print and save."""
    base = os.environ.get("IG_BENCH_POSTGRES_URL")
    if not base:
        print("  the load benchmark needs IG_BENCH_POSTGRES_URL (PostgreSQL)", file=sys.stderr)
        return
    quick, options = "--quick" in args, _options(args)
    policies_dir = _training_data.policies_dir()  # the ten courses of the training data set
    built = ensure(base, policies_dir, quick)
    print(f"  database: {built.scale} ({'built now' if built.made_now else 'reused'})")
    directory = Path(tempfile.mkdtemp(prefix="ig-bench-load-"))
    env = _environment(built.url, built.keys_file, policies_dir, directory)
    people = sign_in(built.url, policies_dir, env["IG_SECRET_KEY"])
    pages = _pages(built.url, policies_dir)
    rows, context = _measure(env, directory, options, pages, people, quick)
    soaked = context["soak"]
    print(f"  after {soaked['requests']:,} more requests (soak): largest worker after the "
          f"warm-up {soaked['after_warm_up']}, at the end {soaked['at_end']}; largest PSS "
          f"growth {soaked['largest_pss_growth_mb']} MB")  # fmt: skip
    before, after = context["load_average_before"], context["load_average_after"]
    print(f"  load average (1, 5, 15 min): {_loads(before)} before, {_loads(after)} after")
    missed = sum(1 for row in rows if row.misses)
    print(f"  targets: {'all met' if not missed else f'{missed} rows miss one'}")
    result = {"scale": built.scale, **context, "rows": [row.as_json() for row in rows]}
    print(f"  saved {_save(result)}")
    print(report.markdown(rows))
