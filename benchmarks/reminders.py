"""Reminders at scale: a reminder pass over each register's large data set (20,000 staff
with 400,000 completions; 100,000 incidents; 10,000 agreements; 2,000 privacy notices),
and delivery of 10,000 queued messages to a local aiosmtpd server (its own process), on
SQLite and, when IG_BENCH_POSTGRES_URL is set, PostgreSQL (it is emptied first).

The registers' own generators give each data set its own database (their ids overlap),
so the pass is timed per data set with every rule of policies/reminders.toml, and the
whole organisation's pass is their sum. Targets: the pass under 5 s; delivery under 60 s.
``--quick`` uses a tenth of the incidents and agreements.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from sqlalchemy import insert, text
from sqlalchemy.engine import Engine

from benchmarks import _incidents_data, _sharing_data, _training_data
from ig.auth.models import User, UserRole
from ig.crypto import KeyRing, install_keyring, new_key_material
from ig.db import Database, make_engine
from ig.migrations import upgrade
from ig.notices.models import PrivacyNotice
from ig.policies import Policies, load_policies
from ig.reminders.delivery import deliver
from ig.reminders.engine import run_pass
from ig.reminders.models import Reminder
from ig.settings import SmtpSettings

PASS_TARGET_S = 5.0
DELIVERY_TARGET_S = 60.0
MESSAGES = 10_000
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def _fresh(backend: str, url: str) -> Engine:
    engine = make_engine(url)
    if backend == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        Path(engine.url.database or "").unlink(missing_ok=True)
    upgrade(engine)
    return engine


def _notices(engine: Engine, policies: Policies) -> None:
    """2,000 notices, reviews due across two years, owned by 50 users."""
    stamp = {"version": 1, "created_at": NOW, "updated_at": NOW}
    with engine.begin() as connection:
        connection.execute(insert(User), [
            {"id": u, "email": f"owner{u}@bench.example", "name": f"Owner {u}",
             "password_hash": "x", "is_active": True, "password_changed_at": NOW, **stamp}
            for u in range(1, 51)
        ])  # fmt: skip
        connection.execute(insert(UserRole), [{"user_id": 1, "role": "ig_officer"}])
        connection.execute(insert(PrivacyNotice), [
            {"title": f"Notice {n}", "service_key": sorted(policies.notices.services)[n % 7],
             "owner_user_id": 1 + n % 50, "published_url": f"https://bench.example/{n}",
             "audience": "public", "processing": "p", "current_version": 1,
             "effective_on": dt.date(2025, 1, 1), "approved_by": "DPO",
             "review_interval_months": 12, "review_flag_reason": "", "is_archived": False,
             "next_review_on": NOW.date() + dt.timedelta(days=n % 730 - 365), **stamp}
            for n in range(2_000)
        ])  # fmt: skip


def _data_sets(quick: bool) -> dict[str, Callable[[Engine, Policies], None]]:
    scale = 10 if quick else 1
    return {
        "training (20,000 staff, 400,000 completions)": lambda engine, policies: (
            _training_data.build(engine, list(policies.training.courses))
        ),
        f"incidents ({100_000 // scale:,})": lambda engine, policies: _incidents_data.generate(
            engine, policies.incidents, 100_000 // scale
        ),
        f"agreements ({10_000 // scale:,})": lambda engine, policies: _sharing_data.generate(
            engine, policies.sharing, 5_000 // scale, 10_000 // scale
        ),
        "privacy notices (2,000)": _notices,
    }


def _context(policies: Policies) -> Flask:
    """An application context holding the policies, as the scheduler's jobs run in one
    (the training register reads the running application's training policy)."""
    app = Flask("ig-bench")
    app.extensions["ig.policies"] = policies
    return app


def _timed_pass(engine: Engine, policies: Policies, now: dt.datetime) -> tuple[float, int]:
    """One pass, as the scheduler runs it (in an app context, one transaction)."""
    started = time.perf_counter()
    with _context(policies).app_context(), Database(engine).session_scope() as session:
        queued = run_pass(session, policies.reminders, now).queued_count
    return time.perf_counter() - started, queued


def _passes(backend: str, url: str, quick: bool, policies_dir: Path) -> float:
    policies = load_policies(policies_dir)
    total = 0.0
    for name, build in _data_sets(quick).items():
        engine = _fresh(backend, url)
        build(engine, policies)
        first, queued = _timed_pass(engine, policies, NOW)
        again, requeued = _timed_pass(engine, policies, NOW + dt.timedelta(minutes=60))
        total += max(first, again)
        print(
            f"  {backend:10} pass over {name:44} {first:5.2f} s (queued {queued:,}); "
            f"again {again:5.2f} s (queued {requeued:,})"
        )
        engine.dispose()
    verdict = "met" if total < PASS_TARGET_S else "NOT met"
    print(
        f"  {backend:10} whole organisation (sum of the passes): {total:5.2f} s; "
        f"target under {PASS_TARGET_S:.0f} s {verdict}"
    )
    return total


def _wait_for(port: int, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _delivery(backend: str, url: str, policies_dir: Path) -> float:
    engine = _fresh(backend, url)
    policies = load_policies(policies_dir)
    with engine.begin() as connection:
        connection.execute(insert(Reminder), [
            {"rule": "notice_review_due", "record_type": "privacy_notice", "record_id": str(n),
             "recipient_key": f"person{n}@bench.example", "recipient_user_id": None,
             "recipient_email": f"person{n}@bench.example", "period": "2026-12-01:before-30",
             "stage": "before-30", "due_key": "2026-12-01", "title": f"Notice {n}",
             "link": f"/notices/{n}", "delivery": "each", "status": "pending",
             "queued_at": NOW, "send_after": NOW, "attempts": 0, "last_error": ""}
            for n in range(MESSAGES)
        ])  # fmt: skip
    port = _free_port()
    # The mail server runs as its own process, as a real one would: in this process it
    # would compete with the delivery for the interpreter.
    server = subprocess.Popen(  # noqa: S603 - fixed arguments, this interpreter
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ]
    )
    smtp = SmtpSettings(host="127.0.0.1", port=port, security="none", sender="ig@bench.example")
    try:
        _wait_for(port)
        started = time.perf_counter()
        with Database(engine).session_factory() as session:
            result = deliver(session, policies.reminders, smtp, NOW)
        took = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
        engine.dispose()
    verdict = "met" if took < DELIVERY_TARGET_S and result.sent == MESSAGES else "NOT met"
    print(
        f"  {backend:10} delivery of {MESSAGES:,} messages: {took:5.1f} s "
        f"({result.sent:,} sent; {MESSAGES / took:,.0f}/s); "
        f"target under {DELIVERY_TARGET_S:.0f} s {verdict}"
    )
    return took


def run(args: list[str]) -> None:
    """Time the passes and the delivery on each database."""
    install_keyring(KeyRing.from_material({**new_key_material("bench"), "source": "bench"}))
    policies_dir = _training_data.policies_dir()  # the ten courses of the training data set
    directory = Path(tempfile.mkdtemp(prefix="ig-bench-reminders-"))
    backends = [("sqlite", f"sqlite:///{directory / 'bench.sqlite3'}")]
    if os.environ.get("IG_BENCH_POSTGRES_URL"):
        backends.append(("postgresql", os.environ["IG_BENCH_POSTGRES_URL"]))
    else:
        print("  (set IG_BENCH_POSTGRES_URL to measure PostgreSQL too)")
    for backend, url in backends:
        _passes(backend, url, "--quick" in args, policies_dir)
        _delivery(backend, url, policies_dir)


if __name__ == "__main__":
    run([])
