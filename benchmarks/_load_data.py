"""The council-scale PostgreSQL database the load benchmark serves: built once, then reused.

The reminders benchmark's one-organisation data set (20,000 staff with 400,000
completions, 100,000 incidents, 10,000 agreements between 5,000 organisations, 2,000
privacy notices) plus 20,000 Caldicott requests from the Caldicott generator, the asset,
processing, DPIA, contract and access registers of _registers_data.py, and the audit
trail their services would have written with its everyday volume around them
(_audit_data.py: about three million entries, hash-chained), in a database of its own
named after IG_BENCH_POSTGRES_URL's (``<name>_load``, or ``<name>_load_quick``), so the
other benchmarks, which empty their database, never touch it. A comment on the database
records the scale it was built at; the data keys from ``ig keys init`` are kept beside
the results, as they must match the data.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine

from benchmarks import _audit_data, _caldicott_data, _registers_data, _reminders_data
from ig.crypto import KeyRing, install_keyring
from ig.db import london_today, make_engine, utcnow
from ig.features import load_policies
from ig.migrations import upgrade
from ig.settings import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "benchmarks" / "results"
CALDICOTT_REQUESTS = 20_000
QUICK_SCALE = 20  # --quick: a twentieth of the incidents, agreements and requests


@dataclass(frozen=True)
class Built:
    """Where the benchmark's database is, and the key file its encrypted rows need."""

    url: str
    keys_file: Path
    scale: str
    made_now: bool


def _marker(quick: bool) -> str:
    divisor = QUICK_SCALE if quick else 1
    return (
        f"ig load benchmark: scale 1/{divisor}, reminders data set + Caldicott requests"
        " + assets, processing, DPIAs, contracts and access + their audit trail"
    )


def _database(base_url: str, quick: bool) -> tuple[str, str]:
    """The load benchmark's own database URL and name, created if missing."""
    url = make_url(base_url)
    name = f"{url.database}_load{'_quick' if quick else ''}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False), name


def _comment(engine: Engine, name: str) -> str | None:
    with engine.connect() as connection:
        return connection.scalar(
            text(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :n"
            ),
            {"n": name},
        )


def _keys(keys_file: Path) -> None:
    """A fresh key file from ``ig keys init``, as an operator makes one."""
    keys_file.unlink(missing_ok=True)
    ig = Path(sys.executable).parent / "ig"
    subprocess.run([str(ig), "keys", "init", str(keys_file)], check=True, capture_output=True)  # noqa: S603


def _generate(engine: Engine, policies_dir: Path, quick: bool) -> None:
    policies = load_policies(policies_dir)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    divisor = QUICK_SCALE if quick else 1
    _reminders_data.build(engine, policies, scale=divisor)
    rng = random.Random(42)  # noqa: S311 - test data, not security
    _caldicott_data.insert_requests(engine, policies.caldicott, rng, CALDICOTT_REQUESTS // divisor)
    _caldicott_data.finish(engine)
    _registers_data.build(engine, policies, london_today())
    _audit_data.build(engine, policies, utcnow())
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


def ensure(base_url: str, policies_dir: Path, quick: bool) -> Built:
    """The database at the scale asked for, generated unless a previous run built it."""
    url, name = _database(base_url, quick)
    RESULTS.mkdir(parents=True, exist_ok=True)
    keys_file = RESULTS / f"{name}.keys.json"
    engine = make_engine(url)
    marker = _marker(quick)
    made = _comment(engine, name) != marker or not keys_file.exists()
    if made:
        _keys(keys_file)
    material = json.loads(keys_file.read_text(encoding="utf-8"))
    install_keyring(KeyRing.from_material({**material, "source": str(keys_file)}))
    if made:
        _generate(engine, policies_dir, quick)
    else:
        upgrade(engine)  # a database built by an earlier version gets its newer migrations
    # Recorded after a build too, so that the next run reuses what this one made.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"COMMENT ON DATABASE \"{name}\" IS '{marker}'"))
    engine.dispose()
    return Built(url, keys_file, marker, made)
