"""The ``ig`` command group: set-up, users, tokens, keys and the audit check."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup

from ig.auth.rules import SYSTEM, Actor
from ig.errors import ConfigurationError, DomainError


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


def _db() -> Any:
    return current_app.extensions["ig.db"]


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


@main.command("init")
def init_command() -> None:
    """Create the database schema or upgrade it to the latest version."""
    from ig.migrations import UpgradeRefused, upgrade

    try:
        upgrade(_db().engine)
    except UpgradeRefused as refused:
        _fail(f"The database was not upgraded: {refused}")
    click.echo("Database schema is up to date.")
    from ig.sharing.cli import load_reference_lists

    click.echo(load_reference_lists())


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


@main.command("create-user")
@click.argument("email")
@click.option(
    "--role", "roles", multiple=True, required=True, help="A role from roles.toml; repeatable."
)
@click.option("--name", default=None, help="Full name (defaults to the e-mail address).")
def create_user_command(email: str, roles: tuple[str, ...], name: str | None) -> None:
    """Create a user; the password is read from standard input."""
    from ig.auth.service import create_user

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        with _db().session_scope() as session:
            user = create_user(
                session,
                SYSTEM,
                current_app.extensions["ig.policies"],
                email,
                name or email,
                password,
                roles,
            )
            click.echo(f"Created user {user.email} with roles {', '.join(sorted(roles))}.")
    except DomainError as error:
        _fail(f"Not created: {error.message}")


@main.command("create-token")
@click.argument("email")
@click.option("--name", default="API token", show_default=True)
@click.option(
    "--days",
    type=int,
    default=None,
    help="How many days the token works (default and maximum: [api_tokens] max_days "
    "in policies/security.toml)",
)
def create_token_command(email: str, name: str, days: int | None) -> None:
    """Create an API token for a user and print it once."""
    from ig.auth.service import find_user_by_email
    from ig.auth.tokens import create_token
    from ig.db import utcnow

    max_days = current_app.extensions["ig.policies"].security.api_token_max_days
    try:
        with _db().session_scope() as session:
            user = find_user_by_email(session, email)
            if user is None:
                _fail(f"No user with the e-mail address {email}")
                return
            token, raw = create_token(
                session, SYSTEM, user, name, utcnow(), days=days, max_days=max_days
            )
    except DomainError as error:
        _fail(f"Not created: {error.message}")
    click.echo(f"It stops working at {token.expires_at:%Y-%m-%d %H:%M} UTC.")
    click.echo("Keep this token safe: it will not be shown again.")
    click.echo(raw)


@main.command("revoke-token")
@click.argument("token_id", type=int)
def revoke_token_command(token_id: int) -> None:
    """Revoke an API token at once, by the number shown on its owner's account page."""
    from ig.auth.tokens import revoke_token
    from ig.db import utcnow

    try:
        with _db().session_scope() as session:
            token = revoke_token(session, SYSTEM, token_id, utcnow())
            owner = token.user.email
    except DomainError as error:
        _fail(f"Not revoked: {error.message}")
        return
    click.echo(f"Token {token_id} of {owner} is revoked.")


@main.command("verify-audit")
@click.option(
    "--checkpoint",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="IG_AUDIT_CHECKPOINT",
    help="Append-only file of the chain's head: compared with, then added to by a clean pass.",
)
@click.option("--no-append", is_flag=True, help="Compare with the checkpoint file only.")
@click.option("--syslog", "to_syslog", is_flag=True, help="Also send the checkpoint to syslog.")
def verify_audit_command(checkpoint: Path | None, no_append: bool, to_syslog: bool) -> None:
    """Check the audit trail's chain and checkpoint, and every signed Caldicott decision.

    Exit 1 naming each problem found; a clean chain's head is checkpointed.
    """
    from ig.audit import checkpoint as checkpoints
    from ig.audit.integrity import verify_all
    from ig.db import utcnow

    with _db().session_scope() as session:
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
        _fail(unkept)
    click.echo(
        f"Audit trail intact: {result.checked} entries; head is entry {result.head_seq} "
        f"with hash {result.head_hash}.\n{comparison.note}\nCheckpoint: {head.line()}"
    )
    if sealed_problems:
        sys.exit(1)


@main.command("demo")
@click.option("--if-empty", is_flag=True, help="Only load when the database has no users.")
def demo_command(if_empty: bool) -> None:
    """Load a fictional borough with a user for every role, and print the log-ins."""
    from ig.demo import demo_logins, load_demo

    policies = current_app.extensions["ig.policies"]
    with _db().session_scope() as session:
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
        _fail(f"{path} already exists; it was left unchanged")
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

    with _db().session_scope() as session:
        usage = keyring_usage(session, current_app.extensions["ig.keyring"])
    _echo_usage(usage)


@keys_group.command("new")
def keys_new_command() -> None:
    """Add a new data key to the key file and make it the active key."""
    from ig.keys import add_key

    path = current_app.extensions["ig.settings"].data_keys_file
    try:
        with _db().session_scope() as session:
            key_id = add_key(session, COMMAND_LINE, path)
    except (DomainError, ConfigurationError) as error:
        _fail(f"No key added: {error}")
        return
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
        with _db().session_scope() as session:
            drop_key(session, COMMAND_LINE, path, key_id)
    except (DomainError, ConfigurationError) as error:
        _fail(f"Key not dropped: {error}")
        return
    click.echo(f"Dropped key {key_id} from {path}. Restart every ig process to forget it.")


@main.command("rotate-keys")
@click.option("--batch", "batch_size", default=500, show_default=True, type=click.IntRange(1))
def rotate_keys_command(batch_size: int) -> None:
    """Re-encrypt every encrypted value under the active key; safe to stop and run again."""
    from ig.keys import keyring_usage, rotate_keys

    keyring = current_app.extensions["ig.keyring"]
    with _db().session_scope() as session:
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
        _fail(
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


def _add_reminder_commands() -> None:
    from ig.reminders.cli import remind_command, scheduler_command

    main.add_command(remind_command)
    main.add_command(scheduler_command)


_add_reminder_commands()


def _add_sharing_commands() -> None:
    from ig.sharing.cli import load_organisations_command, sharing_group

    main.add_command(load_organisations_command)
    main.add_command(sharing_group)


_add_sharing_commands()


def _add_training_commands() -> None:
    from ig.training.cli import COMMANDS

    for command in COMMANDS:
        main.add_command(command)


_add_training_commands()
