"""The chain walk: every entry, whatever its sequence number, is checked."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from ig.audit.service import record, verify_chain
from ig.auth.rules import Actor

START = dt.datetime(2026, 6, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def trail(db):
    for n in range(4):
        record(db, Actor(7, "ada@example.org"), f"thing.step{n}", at=START)
    return db


def forge(db, seq: int) -> None:
    db.connection().execute(
        text(
            "INSERT INTO audit_entries (seq, at, actor_label, action, detail, prev_hash, "
            "entry_hash) VALUES (:seq, '2026-01-01 00:00:00', 'forger', 'x', '{}', :h, :h)"
        ),
        {"seq": seq, "h": "0" * 64},
    )
    db.expire_all()


@pytest.mark.parametrize("seq", [0, -1, -9000])
def test_an_entry_below_the_first_is_named(trail, seq):
    forge(trail, seq)
    problem = verify_chain(trail).problem
    assert problem is not None
    assert (problem.kind, problem.seq) == ("inserted", seq)
    assert f"entry {seq} (id" in problem.message
    assert "below 1" in problem.message


def test_an_entry_below_the_first_is_named_in_an_empty_trail(db):
    forge(db, 0)
    assert verify_chain(db).problem.seq == 0


@pytest.mark.parametrize(("a", "b"), [(2, 3), (1, 4)])
def test_swapped_entries_are_named_as_reordered(trail, a, b):
    connection = trail.connection()
    connection.execute(text("UPDATE audit_entries SET seq = -1000 WHERE seq = :a"), {"a": a})
    connection.execute(text("UPDATE audit_entries SET seq = :a WHERE seq = :b"), {"a": a, "b": b})
    connection.execute(text("UPDATE audit_entries SET seq = :b WHERE seq = -1000"), {"b": b})
    trail.expire_all()
    problem = verify_chain(trail).problem
    assert (problem.kind, problem.seq) == ("reordered", a)
    assert f"entry {a} (id" in problem.message
    assert f"was entry {b}" in problem.message


def test_a_duplicated_sequence_number_is_named(trail):
    """The unique constraint stops this; a database administrator can drop it."""
    connection = trail.connection()
    if connection.dialect.name != "postgresql":
        pytest.skip("SQLite cannot drop a unique constraint in place")
    name = connection.execute(
        text(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'audit_entries'::regclass "
            "AND contype = 'u'"
        )
    ).scalar_one()
    connection.execute(text(f'ALTER TABLE audit_entries DROP CONSTRAINT "{name}"'))
    connection.execute(
        text(
            "INSERT INTO audit_entries (seq, at, actor_id, actor_label, action, detail, "
            "prev_hash, entry_hash) SELECT seq, at, actor_id, actor_label, action, detail, "
            "prev_hash, entry_hash FROM audit_entries WHERE seq = 3"
        )
    )
    problem = verify_chain(trail).problem
    assert (problem.kind, problem.seq) == ("duplicated", 3)
    assert "entry 3 appears twice" in problem.message


def test_the_walk_names_a_duplicate_on_any_database(keyring):
    """The same check as above, on rows made here (SQLite cannot drop the constraint)."""
    from types import SimpleNamespace

    from ig.audit.chain import GENESIS, entry_digest, walk

    rows, link = [], GENESIS
    for seq in (1, 2, 3):
        row = SimpleNamespace(
            id=seq,
            seq=seq,
            at=START,
            actor_id=None,
            actor_label="a",
            action="x",
            record_type=None,
            record_id=None,
            detail={},
            prev_hash=link,
            entry_hash="",
        )
        row.entry_hash = link = entry_digest(row)
        rows.append(row)
    copy = SimpleNamespace(**{**vars(rows[1]), "id": 9})
    result = walk([rows[0], rows[1], copy, rows[2]])
    assert (result.problem.kind, result.problem.seq) == ("duplicated", 2)
    assert "ids 2 and 9" in result.problem.message
    assert walk(rows).ok
