"""``ig load-organisations`` and ``ig sharing load-gss``: the partner register's lists."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ig.auth.rules import SYSTEM
from ig.db import utcnow
from ig.errors import DomainError


@contextmanager
def _refused(path: Path) -> Iterator[None]:
    """A file that is not UTF-8, or that the service refuses, is named in one line and
    exits 1; the session scope inside has rolled back, so nothing changed."""
    try:
        yield
    except UnicodeDecodeError:
        click.echo(f"Not loaded: {path} is not a UTF-8 CSV file", err=True)
        sys.exit(1)
    except DomainError as error:
        click.echo(f"Not loaded: {error.message}", err=True)
        sys.exit(1)


@click.command("load-organisations")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def load_organisations_command(path: Path) -> None:
    """Add or rename organisations from an ONS names-and-codes CSV (or code,name,kind)."""
    from ig.sharing.organisations import load_organisations_csv

    with _refused(path):
        text = path.read_text(encoding="utf-8-sig")
        with current_app.extensions["ig.db"].session_scope() as session:
            result = load_organisations_csv(session, SYSTEM, text, path.name)
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


@click.group("sharing")
def sharing_group() -> None:
    """The partner register's reference lists."""


@sharing_group.command("load-gss")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", help="The release's name (default: the file's own, or its file name).")
@click.option(
    "--date",
    "dated_on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date the release names, like 2025-04-01 (default: the file's own).",
)
@with_appcontext
def load_gss_command(path: Path, source: str | None, dated_on: dt.datetime | None) -> None:
    """Check council codes against a newer ONS names-and-codes CSV (LADyyCD,LADyyNM...).

    The release replaces, for every kind of council it lists, the list in use; a bad
    file, or one older than the list in use, changes nothing.
    """
    from ig.sharing.gss import load_gss_release
    from ig.sharing.gss_file import parse_gss_csv

    with _refused(path):
        text = path.read_text(encoding="utf-8-sig")
        named = source or parse_gss_csv(text).source or f"ONS names and codes, {path.name}"
        with current_app.extensions["ig.db"].session_scope() as session:
            result = load_gss_release(
                session,
                SYSTEM,
                text,
                utcnow(),
                source=named,
                dated_on=dated_on.date() if dated_on else None,
            )
    click.echo(
        f"Loaded {path.name} for {', '.join(result.kinds)}: {result.added} codes added, "
        f"{result.removed} removed, {result.renamed} renamed."
    )
    for organisation in result.unlisted:
        click.echo(
            f"Check {organisation.name} ({organisation.code}): its code is not in this list.",
            err=True,
        )
