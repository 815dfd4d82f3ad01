"""``ig backup`` and ``ig restore``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError

from ig.commands import COMMAND_LINE, database, fail


@click.command("backup")
@click.option(
    "--to",
    "destination",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The backup file to write; an existing file is never replaced.",
)
@with_appcontext
def backup_command(destination: Path) -> None:
    """Write the whole database to one file, with a manifest; the keys are not in it."""
    from ig.backup.archive import BackupError
    from ig.backup.service import take_backup
    from ig.db import utcnow

    upload_dir = current_app.extensions["ig.settings"].upload_dir
    keyring = current_app.extensions["ig.keyring"]
    try:
        written = take_backup(database().engine, keyring, destination, utcnow(), upload_dir)
    except BackupError as error:
        fail(f"No backup written: {error}")
    except OperationalError as error:
        fail(f"No backup written: the database cannot be reached: {error.orig}")
    audit = written["audit"]
    click.echo(
        f"Wrote {destination}: {written['database']['dialect']} database, schema "
        f"{', '.join(written['schema_revisions'])}, audit trail to entry {audit['head_seq']}."
    )
    if not audit["intact"]:
        click.echo(f"Warning: the audit trail backed up is NOT intact: {audit['problem']}")
    outside = written["files_outside_database"]
    if outside:
        click.echo(
            f"Not in the backup: {len(outside)} files in {upload_dir}, listed in its "
            "manifest (README: Back up and restore)."
        )
    click.echo(
        "The data keys are NOT in the backup: keep the key file apart from it, "
        "and the audit checkpoint file too (README: Back up and restore)."
    )


@click.command("restore")
@click.option(
    "--from",
    "source",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The backup file written by ig backup.",
)
@with_appcontext
def restore_command(source: Path) -> None:
    """Load a backup into the EMPTY database IG_DATABASE_URL names, then check it."""
    from ig.backup.archive import BackupError
    from ig.backup.service import restore_backup
    from ig.db import utcnow

    keyring = current_app.extensions["ig.keyring"]
    try:
        restored = restore_backup(database().engine, keyring, source, COMMAND_LINE, utcnow())
    except BackupError as error:
        fail(str(error))
    except OperationalError as error:
        fail(f"Nothing restored: the database cannot be reached: {error.orig}")
    if restored.problems:
        fail(
            f"{source} was loaded, but the restored database does not match its manifest:\n  "
            + "\n  ".join(restored.problems)
        )
    audit = restored.manifest["audit"]
    click.echo(
        f"Restored {source} (taken {restored.manifest.get('taken_at')}): schema revision, "
        f"row counts and audit head (entry {audit['head_seq']}) match its manifest, "
        "and the encrypted fields can be read."
    )
    if restored.upgrade_needed:
        click.echo("The backup's schema is older than this ig: run ig init to upgrade it.")
    click.echo(
        "Next: ig verify-audit --checkpoint FILE --no-append, with the checkpoint file "
        "kept apart, to check that the restored trail is the one that was checkpointed."
    )
