"""The audit trail of the load benchmark's database: what a council's trail would hold.

Every record the other generators bulk-insert gets the entries its service writes (the
same actions, record types and ids, and detail keys and values), at times consistent
with the record's own dates (_audit_cases.py: incidents, Caldicott requests, access;
_audit_registers.py: assets, processing, DPIAs, contracts, notices, sharing, training,
leavers), and the trail's everyday volume around them (_audit_background.py: sign-ins,
views of case detail): about three million entries.

The entries are made set-based, by INSERT ... SELECT into an unlogged staging table;
one streaming pass then reads them in time order, numbers them and chains their hashes
exactly as ``ig.audit.service.record`` does (``entry_digest``), and COPYs them into
``audit_entries``, so ``ig verify-audit`` holds on the result.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from benchmarks import _audit_background, _audit_cases, _audit_registers
from ig.audit.chain import GENESIS, entry_digest
from ig.policies import Policies

STAGING = "bench_audit_staging"
COLUMNS = ("at", "actor_id", "actor_label", "action", "record_type", "record_id", "detail")
CHUNK = 20_000  # rows read from the staging table at a time


def _create_staging(connection: Connection) -> None:
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {STAGING}")
    connection.exec_driver_sql(
        f"CREATE UNLOGGED TABLE {STAGING} (id bigserial PRIMARY KEY, at timestamptz NOT NULL,"
        " actor_id integer, actor_label text NOT NULL, action text NOT NULL,"
        " record_type text, record_id text, detail jsonb NOT NULL)"
    )


def _stage(engine: Engine, policies: Policies, now: dt.datetime) -> dict[str, int]:
    """Every generator's entries into the staging table; how many each made."""
    params = _audit_registers.parameters(policies, now)
    made: dict[str, int] = {}
    with engine.begin() as connection:
        _create_staging(connection)
        for module in (_audit_cases, _audit_registers, _audit_background):
            for name, select in module.SELECTS:
                result = connection.execute(
                    text(f"INSERT INTO {STAGING} ({', '.join(COLUMNS)}) {select}"), params
                )
                made[name] = made.get(name, 0) + (result.rowcount or 0)
    return made


def _staged(engine: Engine) -> Iterator[Any]:
    """The staged entries in the order they happened, read through a server-side cursor."""
    with engine.connect() as connection:
        rows = connection.execution_options(stream_results=True, max_row_buffer=CHUNK).execute(
            text(f"SELECT {', '.join(COLUMNS)} FROM {STAGING} ORDER BY at, id")
        )
        for partition in rows.partitions(CHUNK):
            yield from partition


def _head(connection: Connection) -> tuple[int, str]:
    """The trail's last sequence number and hash (0 and the genesis hash if it is empty)."""
    row = connection.execute(
        text("SELECT seq, entry_hash FROM audit_entries ORDER BY seq DESC LIMIT 1")
    ).first()
    return (row.seq, row.entry_hash) if row else (0, GENESIS)


def _chain(engine: Engine) -> int:
    """Number, hash and COPY the staged entries onto the end of the trail; returns how many."""
    with engine.begin() as connection:
        seq, previous = _head(connection)
        first = seq
        raw = connection.connection.driver_connection
        assert raw is not None
        # ids come from the table's own sequence, in the order the rows are copied
        columns = ("seq", *COLUMNS, "prev_hash", "entry_hash")
        with raw.cursor().copy(f"COPY audit_entries ({', '.join(columns)}) FROM STDIN") as copy:
            for row in _staged(engine):
                seq += 1
                entry = SimpleNamespace(seq=seq, prev_hash=previous, **row._mapping)
                previous = entry_digest(entry)
                values = [getattr(entry, name) for name in COLUMNS]
                values[-1] = json.dumps(entry.detail)
                copy.write_row((seq, *values, entry.prev_hash, previous))
        connection.exec_driver_sql(f"DROP TABLE {STAGING}")
    return seq - first


def build(engine: Engine, policies: Policies, now: dt.datetime) -> dict[str, int]:
    """Write the trail of a database holding every register's data (PostgreSQL only);
    ``now`` is the latest instant an entry may carry. Returns the entries of each kind."""
    started = time.perf_counter()
    made = _stage(engine, policies, now)
    staged = time.perf_counter()
    chained = _chain(engine)
    print(
        f"  audit trail: {chained:,} entries ({staged - started:.0f} s to make, "
        f"{time.perf_counter() - staged:.0f} s to chain and copy)"
    )
    return made
