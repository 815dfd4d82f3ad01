"""The training and staff commands: imports, teams and their managers."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ig.training import commands
from ig.training.models import ImportKind

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
VALID = click.option(
    "--import-valid", is_flag=True, help="Import the valid rows even when some are rejected."
)


def _import(kind: ImportKind, path: Path, import_valid: bool) -> None:
    status = commands.run_import(
        current_app.extensions["ig.db"],
        current_app.extensions["ig.policies"].training,
        kind,
        path,
        import_valid,
        click.echo,
    )
    sys.exit(status)


@click.command("import-staff")
@click.argument("path", type=FILE)
@VALID
@with_appcontext
def import_staff_command(path: Path, import_valid: bool) -> None:
    """Check and import the HR system's staff export (CSV or XLSX)."""
    _import(ImportKind.STAFF, path, import_valid)


@click.command("import-training")
@click.argument("path", type=FILE)
@VALID
@with_appcontext
def import_training_command(path: Path, import_valid: bool) -> None:
    """Check and import the learning system's completions export (CSV or XLSX)."""
    _import(ImportKind.COMPLETIONS, path, import_valid)


@click.command("add-team")
@click.argument("name")
@click.option("--kind", type=click.Choice(["directorate", "service", "team"]), default="team")
@click.option("--parent", "parent_id", type=int, default=None, help="The id of the team above.")
@with_appcontext
def add_team_command(name: str, kind: str, parent_id: int | None) -> None:
    """Add a team to the hierarchy."""
    sys.exit(commands.add_team(current_app.extensions["ig.db"], name, kind, parent_id, click.echo))


@click.command("add-manager")
@click.argument("team_id", type=int)
@click.argument("email")
@with_appcontext
def add_manager_command(team_id: int, email: str) -> None:
    """Make a user the manager of a team (and so of every team below it)."""
    sys.exit(commands.add_manager(current_app.extensions["ig.db"], team_id, email, click.echo))


COMMANDS = [import_staff_command, import_training_command, add_team_command, add_manager_command]
