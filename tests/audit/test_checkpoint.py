"""verify-audit's checkpoint file: where it comes from, and what a pass writes to it."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from ig.audit import checkpoint as checkpoints
from ig.audit.service import record
from ig.auth.rules import SYSTEM
from tests.core.test_cli import runner_for


@pytest.fixture
def run(app, db):
    for n in range(3):
        record(db, SYSTEM, f"thing.{n}")
    return runner_for(app, db)


def test_without_a_checkpoint_the_pass_says_what_it_cannot_detect(run):
    result = run("verify-audit")
    assert result.exit_code == 0, result.output
    assert "removal of the newest entries cannot be detected" in result.output
    assert "Checkpoint: {" in result.output


def test_the_first_pass_creates_the_file(run, tmp_path):
    path = tmp_path / "checkpoints"
    result = run("verify-audit", "--checkpoint", str(path))
    assert result.exit_code == 0, result.output
    assert "No earlier checkpoint" in result.output
    line = json.loads(path.read_text())
    assert (line["seq"], len(line["hash"]), len(line["mac"])) == (3, 64, 64)


def test_the_file_can_be_named_by_the_environment(app, db, run, tmp_path, monkeypatch):
    path = tmp_path / "from-env"
    monkeypatch.setenv("IG_AUDIT_CHECKPOINT", str(path))
    assert run("verify-audit").exit_code == 0
    assert path.exists()


def test_no_append_compares_without_writing(run, db, tmp_path):
    path = tmp_path / "checkpoints"
    run("verify-audit", "--checkpoint", str(path))
    before = path.read_text()
    record(db, SYSTEM, "thing.more")
    result = run("verify-audit", "--checkpoint", str(path), "--no-append")
    assert result.exit_code == 0, result.output
    assert "matches the checkpoint" in result.output
    assert path.read_text() == before


def test_a_garbled_latest_line_is_named(run, tmp_path):
    path = tmp_path / "checkpoints"
    run("verify-audit", "--checkpoint", str(path))
    with path.open("a") as out:
        out.write("{not json\n")
    result = run("verify-audit", "--checkpoint", str(path))
    assert result.exit_code == 1
    assert "(line 2) is not a checkpoint" in result.output


def test_an_unwritable_file_fails_the_pass(run, tmp_path):
    result = run("verify-audit", "--checkpoint", str(tmp_path / "missing" / "checkpoints"))
    assert result.exit_code == 1
    assert "The checkpoint could not be written" in result.output


def test_syslog_receives_the_checkpoint(run, monkeypatch):
    sent = []
    monkeypatch.setattr(checkpoints, "send_to_syslog", sent.append)
    result = run("verify-audit", "--syslog")
    assert result.exit_code == 0, result.output
    assert [c.seq for c in sent] == [3]
    assert sent[0].line() in result.output


def test_a_broken_chain_is_not_checkpointed(run, db, tmp_path):
    path = tmp_path / "checkpoints"
    db.connection().execute(text("UPDATE audit_entries SET action = 'x' WHERE seq = 2"))
    assert run("verify-audit", "--checkpoint", str(path)).exit_code == 1
    assert not path.exists()
