"""Checkpoints of the chain's head, kept outside the database, to detect truncation.

The hash chain shows any change inside the trail, but not the newest entries being
removed: what is left is still a valid chain. Each clean ``ig verify-audit`` pass
therefore appends the head (sequence number and hash) as one JSON line to a file the
operator keeps where a database administrator cannot rewrite it, and the next pass
compares the database with the latest line. Each line carries a MAC under the audit
key, so a line appended by someone without the key is refused, not believed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig.audit.chain import ChainProblem, VerifyResult
from ig.audit.models import AuditEntry
from ig.crypto import get_keyring

_FIELDS = ("at", "seq", "hash")
RESTORED = "backup.restored"  # the entry ``ig restore`` appends to a restored trail


class CheckpointError(Exception):
    """The checkpoint file cannot be read, or its latest line is not ig's."""


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head as one pass found it: when, which entry, and its hash."""

    at: str
    seq: int
    hash: str

    @property
    def mac(self) -> str:
        payload = json.dumps([self.at, self.seq, self.hash], separators=(",", ":"))
        message = b"ig audit checkpoint\n" + payload.encode()
        return hmac.new(get_keyring().audit_key, message, hashlib.sha256).hexdigest()

    def line(self) -> str:
        """The JSON line written to the file (and to syslog)."""
        return json.dumps({"at": self.at, "seq": self.seq, "hash": self.hash, "mac": self.mac})


def checkpoint_of(result: VerifyResult, now: dt.datetime) -> Checkpoint:
    return Checkpoint(
        at=now.astimezone(dt.UTC).isoformat(timespec="seconds"),
        seq=result.head_seq,
        hash=result.head_hash,
    )


def latest_checkpoint(path: Path) -> Checkpoint | None:
    """The last line of ``path`` as a checkpoint; None if the file has none yet."""
    try:
        with path.open(encoding="utf-8") as lines:
            numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise CheckpointError(f"the checkpoint file {path} cannot be read: {error}") from error
    if not numbered:
        return None
    number, line = numbered[-1]
    where = f"the latest checkpoint in {path} (line {number})"
    try:
        fields = json.loads(line)
        found = Checkpoint(str(fields["at"]), int(fields["seq"]), str(fields["hash"]))
        mac = str(fields["mac"])
    except (ValueError, TypeError, KeyError) as error:
        raise CheckpointError(f"{where} is not a checkpoint: the file was altered") from error
    if not hmac.compare_digest(mac, found.mac):
        raise CheckpointError(
            f"{where} was not written by ig: its MAC is wrong, so the file was altered"
        )
    return found


def append_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    """Add one line to ``path`` (created if need be), written through to the disk.

    O_APPEND writes at the end whatever the file's position, which is all a file
    marked append-only (``chattr +a``) allows.
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (checkpoint.line() + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def compare(session: Session, checkpoint: Checkpoint) -> ChainProblem | None:
    """The truncation or rewrite of the trail since ``checkpoint``, if any; if the
    database was restored from a backup older than the checkpoint, that is said."""
    if checkpoint.seq < 1:
        return None
    problem = _diverged(session, checkpoint)
    if problem is None:
        return None
    return _restored_before(session, checkpoint) or problem


def _restored_before(session: Session, checkpoint: Checkpoint) -> ChainProblem | None:
    """The trail no longer reaching ``checkpoint`` explained by a later restore.

    ``ig restore`` appends a RESTORED entry after the backup's last entry. If that
    entry came after the checkpoint was written and sits at or below its number, the
    database was restored from a backup older than the checkpoint: the entries
    written after that backup are not in it. That is still a failure, not a pass.
    """
    restore = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == RESTORED, AuditEntry.seq <= checkpoint.seq)
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    try:
        written = dt.datetime.fromisoformat(checkpoint.at)
    except ValueError:
        return None
    if restore is None or restore.at <= written:
        return None
    taken = (restore.detail or {}).get("taken_at", "an unknown time")
    return ChainProblem(
        restore.seq,
        restore.id,
        "restored",
        f"the restored database is older than the checkpoint: it was restored "
        f"{restore.at.isoformat(timespec='seconds')} from a backup taken {taken}, which "
        f"ends at entry {restore.seq - 1}, but the checkpoint of {checkpoint.at} records "
        f"entry {checkpoint.seq}. Entries {restore.seq} to {checkpoint.seq} of the old "
        "trail, and the changes they record, were made after that backup and are not in "
        "this database (README: Back up and restore, after a restore)",
    )


def _diverged(session: Session, checkpoint: Checkpoint) -> ChainProblem | None:
    """The trail ending before ``checkpoint``'s entry, or holding another entry there."""
    last = session.scalar(select(func.max(AuditEntry.seq))) or 0
    if last < checkpoint.seq:
        removed = (
            f"entry {checkpoint.seq} was removed"
            if last + 1 == checkpoint.seq
            else f"entries {last + 1} to {checkpoint.seq} were removed"
        )
        return ChainProblem(
            last + 1,
            None,
            "truncated",
            f"the trail was truncated: the checkpoint of {checkpoint.at} records entry "
            f"{checkpoint.seq}, but the trail now ends at entry {last}: {removed}",
        )
    hashes = session.scalars(
        select(AuditEntry.entry_hash).where(AuditEntry.seq == checkpoint.seq)
    ).all()
    if checkpoint.hash not in hashes:
        return ChainProblem(
            checkpoint.seq,
            None,
            "rewritten",
            f"the trail was rewritten: entry {checkpoint.seq} is not the entry the checkpoint "
            f"of {checkpoint.at} records (hash {checkpoint.hash}): the entries up to it were "
            "replaced or renumbered",
        )
    return None


def send_to_syslog(checkpoint: Checkpoint) -> None:
    """Send the checkpoint line to the local syslog, for a log shipper to take off the host."""
    import syslog

    syslog.openlog("ig-audit-checkpoint", 0, syslog.LOG_AUTH)
    syslog.syslog(syslog.LOG_NOTICE, checkpoint.line())
    syslog.closelog()


@dataclass(frozen=True)
class Comparison:
    """What comparing the database with the checkpoint file found, in words."""

    problem: str | None
    note: str


def compare_with_file(session: Session, path: Path | None) -> Comparison:
    """Compare the trail with the latest checkpoint in ``path`` (none given: say so)."""
    if path is None:
        return Comparison(
            None,
            "No checkpoint file was given (--checkpoint or IG_AUDIT_CHECKPOINT): "
            "removal of the newest entries cannot be detected.",
        )
    try:
        checkpoint = latest_checkpoint(path)
    except CheckpointError as error:
        return Comparison(str(error), "")
    if checkpoint is None:
        return Comparison(None, f"No earlier checkpoint in {path}: this is the first.")
    problem = compare(session, checkpoint)
    if problem is not None:
        return Comparison(problem.message, "")
    return Comparison(
        None,
        f"The trail matches the checkpoint of {checkpoint.at} (entry {checkpoint.seq}).",
    )


def keep(head: Checkpoint, path: Path | None, *, append: bool, to_syslog: bool) -> str | None:
    """Write the head where the operator asked; what went wrong, in words, if anything."""
    try:
        if path is not None and append:
            append_checkpoint(path, head)
        if to_syslog:
            send_to_syslog(head)
    except OSError as error:
        return f"The checkpoint could not be written to {path or 'syslog'}: {error}"
    return None
