"""``ig verify-audit``: the audit chain, its checkpoint and every sealed record, checked."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ig.commands import database, fail


@click.command("verify-audit")
@click.option(
    "--checkpoint",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="IG_AUDIT_CHECKPOINT",
    help="Append-only file of the chain's head: compared with, then added to by a clean pass.",
)
@click.option("--no-append", is_flag=True, help="Compare with the checkpoint file only.")
@click.option("--syslog", "to_syslog", is_flag=True, help="Also send the checkpoint to syslog.")
@with_appcontext
def verify_audit_command(checkpoint: Path | None, no_append: bool, to_syslog: bool) -> None:
    """Check the audit trail's chain and checkpoint, and every signed Caldicott decision.

    Exit 1 naming each problem found; a clean chain's head is checkpointed.
    """
    from ig.audit import checkpoint as checkpoints
    from ig.audit.integrity import verify_all
    from ig.db import utcnow

    with database().session_scope() as session:
        report = verify_all(session, current_app.extensions["ig.integrity_checks"])
        comparison = checkpoints.compare_with_file(session, checkpoint)
    result = report.chain
    chain_problems = [
        p for p in (result.problem and result.problem.message, comparison.problem) if p
    ]
    if chain_problems:
        click.echo(
            f"Audit trail is NOT intact after checking {result.checked} entries: "
            + "\n  ".join(chain_problems),
            err=True,
        )
    sealed_problems = {name: found for name, found in report.problems.items() if found}
    for name, found in sealed_problems.items():
        click.echo(f"{name} are NOT intact:\n  " + "\n  ".join(found), err=True)
    if chain_problems:
        sys.exit(1)
    head = checkpoints.checkpoint_of(result, utcnow())
    unkept = checkpoints.keep(head, checkpoint, append=not no_append, to_syslog=to_syslog)
    if unkept:
        fail(unkept)
    click.echo(
        f"Audit trail intact: {result.checked} entries; head is entry {result.head_seq} "
        f"with hash {result.head_hash}.\n{comparison.note}\nCheckpoint: {head.line()}"
    )
    if sealed_problems:
        sys.exit(1)
