"""One organisation with every register the reminder pass reads, in ONE database: the
training data set (600 teams, 20,000 staff, 400,000 completions), 100,000 incidents,
10,000 agreements between 5,000 organisations and 2,000 privacy notices.

The registers' own generators are reused without change. Each was written for a
database of its own, so their shared rows are made once here: the training data set's
teams and users 1-3 come first; users 4-201 are added for the incidents' reporters and
the notices' owners; the incidents (on teams 1-120) and the agreements are then inserted
from the generators' row builders, leaving out the users and teams they would insert.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from benchmarks import _incidents_data, _sharing_data, _training_data
from benchmarks._bound_rows import bound
from ig.auth.models import User
from ig.incidents.models import Incident
from ig.notices.models import PrivacyNotice
from ig.policies import Policies

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
USERS = _incidents_data.REPORTERS + 1  # the incidents' owner (1) and reporters (2-201)
NOTICES = 2_000
NOTICE_OWNERS = 50
# Tables given explicit ids: their serial sequences are moved past them (fixed names).
SERIAL_TABLES = ("users", "incidents", "organisations", "sharing_agreements")


def _stamp() -> dict[str, Any]:
    return {"version": 1, "created_at": NOW, "updated_at": NOW}


def _users(engine: Engine) -> None:
    """Users 4-201 beside the training data set's three (user 1 is the IG officer)."""
    with engine.begin() as connection:
        connection.execute(insert(User), [
            {"id": u, "email": f"bench{u}@bench.example", "name": f"Bench User {u}",
             "password_hash": "x", "is_active": True, "password_changed_at": NOW, **_stamp()}
            for u in range(4, USERS + 1)
        ])  # fmt: skip


def _incidents(engine: Engine, policies: Policies, count: int) -> None:
    """The incident generator's incidents and their children (teams and users exist)."""
    rng = random.Random(42)  # noqa: S311 - test data, not security
    types = sorted(policies.incidents.types)
    size = _incidents_data.BATCH
    for start in range(1, count + 1, size):
        incidents = [
            _incidents_data._incident(rng, policies.incidents, n, types)
            for n in range(start, min(start + size, count + 1))
        ]
        children: dict[str, list[dict[str, Any]]] = {name: [] for name in _incidents_data.TABLES}
        for row in incidents:
            for table, child in _incidents_data._children(row, rng):
                children[table].append(child)
        with engine.begin() as connection:
            connection.execute(insert(Incident), bound(Incident, incidents))
            for name, rows in children.items():
                if rows:
                    table = _incidents_data.TABLES[name]
                    connection.execute(insert(table), bound(table, rows))


def _agreements(engine: Engine, policies: Policies, organisations: int, count: int) -> None:
    """The sharing generator's organisations and agreements (its IG officer is user 1)."""
    with engine.begin() as connection:
        for table, rows in _sharing_data._rows(engine, policies.sharing, organisations, count):
            connection.execute(insert(table), rows)


def _notices(engine: Engine, policies: Policies) -> None:
    """2,000 notices, reviews due across two years, owned by users 1-50."""
    services = sorted(policies.notices.services)
    with engine.begin() as connection:
        connection.execute(insert(PrivacyNotice), [
            {"title": f"Notice {n}", "service_key": services[n % len(services)],
             "owner_user_id": 1 + n % NOTICE_OWNERS, "published_url": f"https://bench.example/{n}",
             "audience": "public", "processing": "p", "current_version": 1,
             "effective_on": dt.date(2025, 1, 1), "approved_by": "DPO",
             "review_interval_months": 12, "review_flag_reason": "", "is_archived": False,
             "next_review_on": NOW.date() + dt.timedelta(days=n % 730 - 365), **_stamp()}
            for n in range(NOTICES)
        ])  # fmt: skip


def build(engine: Engine, policies: Policies, scale: int = 1) -> dict[str, int]:
    """Fill an empty, migrated database; ``scale`` divides the incidents and agreements.

    Returns how many of each kind of record it made.
    """
    _training_data.build(engine, list(policies.training.courses))
    _users(engine)
    _incidents(engine, policies, 100_000 // scale)
    _agreements(engine, policies, 5_000 // scale, 10_000 // scale)
    _notices(engine, policies)
    # As autovacuum would have done by now on a live database: statistics, serial
    # sequences past the ids given here, and PostgreSQL's visibility map.
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            for table in SERIAL_TABLES:
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"
                )
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    return {
        "staff": _training_data.STAFF,
        "completions": _training_data.COMPLETIONS,
        "incidents": 100_000 // scale,
        "agreements": 10_000 // scale,
        "notices": NOTICES,
    }
