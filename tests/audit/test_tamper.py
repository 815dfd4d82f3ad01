"""Tampering with the audit trail in the database: ``ig verify-audit`` names each one.

The trail is six entries, checkpointed by a first clean pass into a file outside the
database; each tamper is raw SQL, as a database administrator without the audit key
could run it, and the second pass must fail naming the entry and the kind of tamper.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from ig.audit.service import record
from ig.auth.rules import SYSTEM, Actor
from tests.core.test_cli import runner_for

START = dt.datetime(2026, 6, 30, 9, 0, tzinfo=dt.UTC)
FORGED = (
    "INSERT INTO audit_entries (seq, at, actor_label, action, detail, prev_hash, entry_hash) "
    "VALUES ({seq}, '2026-01-01 00:00:00', 'forger', 'thing.forged', '{{}}', "
    "'{prev}', '{hash}')"
)


@pytest.fixture
def run(app, db):
    return runner_for(app, db)


@pytest.fixture
def checkpoint(tmp_path):
    return tmp_path / "audit-checkpoints.jsonl"


@pytest.fixture
def trail(run, db, checkpoint):
    """Six entries, and a clean pass that checkpointed entry 6."""
    for n in range(6):
        record(db, Actor(7, "ada@example.org"), f"thing.step{n}", "thing", n, at=START)
    result = run("verify-audit", "--checkpoint", str(checkpoint))
    assert result.exit_code == 0, result.output
    return db


def hash_of(db, seq: int) -> str:
    return (
        db.connection()
        .execute(text("SELECT entry_hash FROM audit_entries WHERE seq = :seq"), {"seq": seq})
        .scalar_one()
    )


def swap_seq(a: int, b: int) -> list[str]:
    return [
        f"UPDATE audit_entries SET seq = -1000 WHERE seq = {a}",
        f"UPDATE audit_entries SET seq = {a} WHERE seq = {b}",
        f"UPDATE audit_entries SET seq = {b} WHERE seq = -1000",
    ]


# Each tamper: SQL statements ({h3} is entry 3's hash), and what the failure must say.
TAMPERS = {
    "entry edited": (["UPDATE audit_entries SET action = 'x' WHERE seq = 3"], "entry 3 (id"),
    "entry's actor edited": (
        ["UPDATE audit_entries SET actor_label = 'eve@example.org' WHERE seq = 6"],
        "entry 6 (id",
    ),
    "entry's link edited": (
        ["UPDATE audit_entries SET prev_hash = 'ff' WHERE seq = 4"],
        "entry 4 (id",
    ),
    "contents swapped between entries": (
        [
            "UPDATE audit_entries SET action = CASE seq WHEN 2 THEN 'thing.step2' "
            "ELSE 'thing.step1' END WHERE seq IN (2, 3)"
        ],
        "entry 2 (id",
    ),
    "entries reordered": (swap_seq(2, 3), "reordered"),
    "entry moved far": (swap_seq(1, 5), "reordered"),
    "entry deleted in the middle": (
        ["DELETE FROM audit_entries WHERE seq = 3"],
        "entry 3 was removed",
    ),
    "first entry deleted": (["DELETE FROM audit_entries WHERE seq = 1"], "entry 1 was removed"),
    "entry inserted with sequence 0": (
        [FORGED.format(seq=0, prev="0" * 64, hash="a" * 64)],
        "entry 0 (id",
    ),
    "entry inserted with a negative sequence": (
        [FORGED.format(seq=-3, prev="0" * 64, hash="a" * 64)],
        "entry -3 (id",
    ),
    "entry inserted in the middle": (
        [
            "UPDATE audit_entries SET seq = -seq WHERE seq >= 4",
            "UPDATE audit_entries SET seq = 1 - seq WHERE seq < 0",
            FORGED.format(seq=4, prev="{h3}", hash="a" * 64),
        ],
        "entry 4 (id",
    ),
    "entry added at the end": ([FORGED.format(seq=7, prev="b" * 64, hash="a" * 64)], "entry 7"),
    "last entries truncated": (["DELETE FROM audit_entries WHERE seq > 4"], "truncated"),
    "whole trail truncated": (["DELETE FROM audit_entries"], "truncated"),
}


@pytest.mark.parametrize("name", list(TAMPERS))
def test_verify_audit_names_the_tamper(run, trail, checkpoint, name):
    statements, said = TAMPERS[name]
    connection, h3 = trail.connection(), hash_of(trail, 3)
    for statement in statements:
        connection.execute(text(statement.replace("{h3}", h3)))
    trail.expire_all()
    result = run("verify-audit", "--checkpoint", str(checkpoint))
    assert result.exit_code == 1, result.output
    assert "NOT intact" in result.output
    assert said in result.output


def test_truncation_names_the_entries_removed(run, trail, checkpoint):
    trail.connection().execute(text("DELETE FROM audit_entries WHERE seq > 4"))
    result = run("verify-audit", "--checkpoint", str(checkpoint))
    assert "entries 5 to 6 were removed" in result.output


def test_a_rewritten_tail_is_named(run, trail, checkpoint):
    """Removing the newest entry and appending another (as ig would) is a rewrite."""
    trail.connection().execute(text("DELETE FROM audit_entries WHERE seq = 6"))
    record(trail, SYSTEM, "thing.replacement", at=START)
    result = run("verify-audit", "--checkpoint", str(checkpoint))
    assert result.exit_code == 1, result.output
    assert "rewritten" in result.output
    assert "entry 6" in result.output


def test_a_checkpoint_forged_without_the_key_is_named(run, trail, checkpoint):
    trail.connection().execute(text("DELETE FROM audit_entries WHERE seq > 4"))
    forged = f'{{"at": "2026-07-01T00:00:00+00:00", "seq": 4, "hash": "{hash_of(trail, 4)}", '
    with checkpoint.open("a") as out:
        out.write(forged + '"mac": "' + "0" * 64 + '"}\n')
    result = run("verify-audit", "--checkpoint", str(checkpoint))
    assert result.exit_code == 1, result.output
    assert "checkpoint" in result.output
    assert "not written by ig" in result.output


def test_a_clean_trail_verifies_and_appends_a_checkpoint(run, trail, checkpoint):
    record(trail, SYSTEM, "thing.more", at=START)
    result = run("verify-audit", "--checkpoint", str(checkpoint))
    assert result.exit_code == 0, result.output
    assert "Audit trail intact: 7 entries" in result.output
    assert "matches the checkpoint" in result.output
    lines = checkpoint.read_text().splitlines()
    assert len(lines) == 2
    assert '"seq": 7' in lines[-1]


def test_a_failed_pass_does_not_checkpoint(run, trail, checkpoint):
    trail.connection().execute(text("DELETE FROM audit_entries WHERE seq > 4"))
    run("verify-audit", "--checkpoint", str(checkpoint))
    assert len(checkpoint.read_text().splitlines()) == 1
