"""The ``ig`` command group: set-up, the server, the demo and keys; each feature adds its own."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup

from ig.auth.rules import Actor
from ig.commands import database, fail
from ig.errors import ConfigurationError, DomainError
from ig.features import FEATURES


def _create_app() -> Flask:
    from ig import create_app

    try:
        return create_app()
    except ConfigurationError as error:
        click.echo(f"ig cannot start: {error}", err=True)
        sys.exit(2)


@click.group(
    cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False
)
def main() -> None:
    """ig: information governance and data-breach compliance."""


@main.command("init")
def init_command() -> None:
    """Create the database schema or upgrade it to the latest version."""
    from ig.migrations import UpgradeRefused, upgrade

    try:
        upgrade(database().engine, upload_dir=current_app.extensions["ig.settings"].upload_dir)
    except UpgradeRefused as refused:
        fail(f"The database was not upgraded: {refused}")
    click.echo("Database schema is up to date.")
    for feature in FEATURES:
        if feature.on_init is not None:
            click.echo(feature.on_init())


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def serve_command(host: str, port: int) -> None:
    """Run the development server (use gunicorn in production).

    In development (or with IG_RUN_SCHEDULER=1) the reminder scheduler runs inside this
    one process, so that reminders work out of the box; in production run `ig scheduler`.
    """
    settings = current_app.extensions["ig.settings"]
    if settings.run_scheduler or settings.env == "development":
        from ig.reminders.cli import start_in_process

        start_in_process(current_app._get_current_object())  # type: ignore[attr-defined]
    # Flask's command line sets FLASK_RUN_FROM_CLI, which makes app.run() return at once
    # (it expects `flask run`); ig serve is our `flask run`, so lift that guard.
    os.environ.pop("FLASK_RUN_FROM_CLI", None)
    current_app.run(host=host, port=port, debug=False, use_reloader=False)


@main.command("demo")
@click.option("--if-empty", is_flag=True, help="Only load when the database has no users.")
def demo_command(if_empty: bool) -> None:
    """Load a fictional borough with a user for every role, and print the log-ins."""
    from ig.demo import demo_logins, load_demo

    policies = current_app.extensions["ig.policies"]
    with database().session_scope() as session:
        if not load_demo(session, policies, only_if_empty=if_empty):
            click.echo("The database already has users, so the demo data was not loaded.")
        logins = demo_logins(session, policies)
    if logins:
        click.echo("Demo log-ins (fictional borough of Eastmere):")
    for login in logins:
        mark = "*" if login.two_factor else " "
        click.echo(f"  {login.email:<34} {login.password}   {mark} {', '.join(login.roles)}")
    if any(login.two_factor for login in logins):
        click.echo(
            "* sets up two-factor authentication at first sign-in: scan the QR code with an "
            "authenticator app, or type the key shown into one (or: oathtool --totp -b KEY)."
        )


@main.group("keys")
def keys_group() -> None:
    """Manage the data keys (rotation, new keys, dropping retired keys)."""


@keys_group.command("init", with_appcontext=False)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def keys_init_command(path: Path) -> None:
    """Write a new key file (mode 0600) for IG_DATA_KEYS_FILE."""
    from ig.crypto import new_key_material

    if path.exists():
        fail(f"{path} already exists; it was left unchanged")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(new_key_material(), handle, indent=2)
    click.echo(f"Wrote {path}. Back it up: without it the encrypted fields cannot be read.")


# Key changes made from the command line are audited under this actor.
COMMAND_LINE = Actor(user_id=None, label="command line")


@keys_group.command("status")
def keys_status_command() -> None:
    """Show how many encrypted values each key protects."""
    from ig.keys import keyring_usage

    with database().session_scope() as session:
        usage = keyring_usage(session, current_app.extensions["ig.keyring"])
    _echo_usage(usage)


@keys_group.command("new")
def keys_new_command() -> None:
    """Add a new data key to the key file and make it the active key."""
    from ig.keys import add_key

    path = current_app.extensions["ig.settings"].data_keys_file
    try:
        with database().session_scope() as session:
            key_id = add_key(session, COMMAND_LINE, path)
    except (DomainError, ConfigurationError) as error:
        fail(f"No key added: {error}")
    click.echo(f"Added key {key_id} to {path}; it is now the active key.")
    click.echo(
        "Restart every ig process (web workers and the scheduler) so that all of them "
        "use it, then run: ig rotate-keys"
    )


@keys_group.command("drop")
@click.argument("key_id")
def keys_drop_command(key_id: str) -> None:
    """Remove a retired key from the key file, once no stored value uses it."""
    from ig.keys import drop_key

    path = current_app.extensions["ig.settings"].data_keys_file
    try:
        with database().session_scope() as session:
            drop_key(session, COMMAND_LINE, path, key_id)
    except (DomainError, ConfigurationError) as error:
        fail(f"Key not dropped: {error}")
    click.echo(f"Dropped key {key_id} from {path}. Restart every ig process to forget it.")


@main.command("rotate-keys")
@click.option("--batch", "batch_size", default=500, show_default=True, type=click.IntRange(1))
def rotate_keys_command(batch_size: int) -> None:
    """Re-encrypt every encrypted value under the active key; safe to stop and run again."""
    from ig.keys import keyring_usage, rotate_keys

    keyring = current_app.extensions["ig.keyring"]
    with database().session_scope() as session:
        result = rotate_keys(
            session,
            keyring,
            COMMAND_LINE,
            batch_size=batch_size,
            on_batch=lambda done: click.echo(f"  {done} values re-encrypted so far"),
        )
        usage = keyring_usage(session, keyring)
    click.echo(f"Re-encrypted {result.reencrypted} values under key {result.active_id}.")
    _echo_usage(usage)
    if result.failed:
        fail(
            f"{len(result.failed)} values would not decrypt and were left as they are: "
            + ", ".join(result.failed[:20])
        )


def _echo_usage(usage: Any) -> None:
    from ig.keys import UNKNOWN

    click.echo(f"Active key: {usage.active_id}")
    for key_id, count in usage.totals.items():
        if key_id == usage.active_id:
            note = "active"
        elif key_id == UNKNOWN:
            note = "under keys not in the key ring: they cannot be read"
        else:
            note = "can be dropped" if count == 0 else "run ig rotate-keys to move them"
        click.echo(f"  {key_id:<10} {count:>9} values  ({note})")
    for column, counts in usage.by_column.items():
        click.echo(f"  {column}: " + ", ".join(f"{k} {n}" for k, n in counts.items()))


for _feature in FEATURES:
    for _command in _feature.commands:
        main.add_command(_command)
