"""``ig load-organisations``: load an ONS (or ig) CSV list into the partner register."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ig.auth.rules import SYSTEM
from ig.errors import DomainError


@click.command("load-organisations")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def load_organisations_command(path: Path) -> None:
    """Add or rename organisations from an ONS names-and-codes CSV (or code,name,kind)."""
    from ig.sharing.organisations import load_organisations_csv

    try:
        text = path.read_text(encoding="utf-8-sig")
        with current_app.extensions["ig.db"].session_scope() as session:
            result = load_organisations_csv(session, SYSTEM, text, path.name)
    except UnicodeDecodeError:
        click.echo(f"Not loaded: {path} is not a UTF-8 CSV file", err=True)
        sys.exit(1)
    except DomainError as error:
        click.echo(f"Not loaded: {error.message}", err=True)
        sys.exit(1)
    click.echo(
        f"Loaded {path.name}: {result.added} added, {result.updated} renamed, "
        f"{result.unchanged} unchanged."
    )


def load_reference_lists() -> str:
    """Load the shipped London lists (for ``ig init``); a line saying what changed."""
    from ig.sharing.service import load_reference_organisations

    with current_app.extensions["ig.db"].session_scope() as session:
        changed = load_reference_organisations(session)
    return f"Reference organisations loaded ({changed} added or renamed)."
