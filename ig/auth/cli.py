"""``ig create-user``, ``ig create-token`` and ``ig revoke-token``: accounts from the shell."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from ig.auth.rules import SYSTEM
from ig.commands import database, fail
from ig.errors import DomainError


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role", "roles", multiple=True, required=True, help="A role from roles.toml; repeatable."
)
@click.option("--name", default=None, help="Full name (defaults to the e-mail address).")
@with_appcontext
def create_user_command(email: str, roles: tuple[str, ...], name: str | None) -> None:
    """Create a user; the password is read from standard input."""
    from ig.auth.service import create_user

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        with database().session_scope() as session:
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
        fail(f"Not created: {error.message}")


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="API token", show_default=True)
@click.option(
    "--days",
    type=int,
    default=None,
    help="How many days the token works (default and maximum: [api_tokens] max_days "
    "in policies/security.toml)",
)
@click.option(
    "--scope",
    type=click.Choice(["read-only", "read-write"]),
    default="read-write",
    show_default=True,
    help="read-only tokens (Power BI and other reporting tools) may only GET",
)
@with_appcontext
def create_token_command(email: str, name: str, days: int | None, scope: str) -> None:
    """Create an API token for a user and print it once."""
    from ig.auth.service import find_user_by_email
    from ig.auth.tokens import create_token
    from ig.db import utcnow

    max_days = current_app.extensions["ig.policies"].security.api_token_max_days
    try:
        with database().session_scope() as session:
            user = find_user_by_email(session, email)
            if user is None:
                fail(f"No user with the e-mail address {email}")
            token, raw = create_token(
                session, SYSTEM, user, name, utcnow(), days=days, max_days=max_days, scope=scope
            )
    except DomainError as error:
        fail(f"Not created: {error.message}")
    click.echo(f"It is {token.scope}.")
    click.echo(f"It stops working at {token.expires_at:%Y-%m-%d %H:%M} UTC.")
    click.echo("Keep this token safe: it will not be shown again.")
    click.echo(raw)


@click.command("revoke-token")
@click.argument("token_id", type=int)
@with_appcontext
def revoke_token_command(token_id: int) -> None:
    """Revoke an API token at once, by the number shown on its owner's account page."""
    from ig.auth.tokens import revoke_token
    from ig.db import utcnow

    try:
        with database().session_scope() as session:
            token = revoke_token(session, SYSTEM, token_id, utcnow())
            owner = token.user.email
    except DomainError as error:
        fail(f"Not revoked: {error.message}")
    click.echo(f"Token {token_id} of {owner} is revoked.")
