"""What every module of ``ig`` commands shares: the application's database, and failing.

The command group is ``ig/cli.py``; each feature adds its own commands (its
``cli.py``) through its Feature.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click
from flask import current_app

from ig.auth.rules import Actor
from ig.db import Database

# Changes made from the command line (keys, restores) are audited under this actor.
COMMAND_LINE = Actor(user_id=None, label="command line")


def database() -> Database:
    """The running application's database."""
    return current_app.extensions["ig.db"]  # type: ignore[no-any-return]


def fail(message: str) -> NoReturn:
    """Print ``message`` to standard error and exit with status 1."""
    click.echo(message, err=True)
    sys.exit(1)
