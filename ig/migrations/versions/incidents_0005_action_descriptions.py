"""incidents: an action's description is encrypted like the rest of the incident's free
text (it can name the people the action is about)

The column becomes TEXT, as the ciphertext is longer than the 500 characters the form
and the service allow. The data step is resumable: each row is one UPDATE, and a row
whose description already decrypts in its row is passed over.

Revision ID: incidents_0005_actions
Revises: incidents_0004_not_notifying
Create Date: 2026-12-07 03:00:00
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

from ig.crypto import DecryptionError, KeyRing, get_keyring
from ig.errors import IgError
from ig.migrations import UpgradeRefused

revision = "incidents_0005_actions"
down_revision = "incidents_0004_not_notifying"
branch_labels = None
depends_on = ("crypto_0001",)

CONTEXT = "incident_actions.description"
COMMENT = "what an action is to do"
ACTIONS = sa.table(
    "incident_actions",
    sa.column("id", sa.Integer),
    sa.column("row_key", sa.String),
    sa.column("description", sa.Text),
)


def _keyring() -> KeyRing:
    try:
        return get_keyring()
    except IgError as exc:
        raise UpgradeRefused(
            "the incident actions' descriptions must be encrypted, which needs the data "
            "keys: run the upgrade through ig (ig init), with IG_DATA_KEYS_FILE set"
        ) from exc


def _readable(keyring: KeyRing, value: str, row_key: str) -> str | None:
    try:
        return keyring.decrypt(value, CONTEXT, row_key)
    except DecryptionError:
        return None


def _each_row(change: Callable[[KeyRing, str, str], str | None]) -> None:
    connection = op.get_bind()
    after = 0
    while rows := connection.execute(
        sa.select(ACTIONS).where(ACTIONS.c.id > after).order_by(ACTIONS.c.id).limit(500)
    ).all():
        for row in rows:
            value = change(_keyring(), row.description or "", row.row_key)
            if value is not None:
                connection.execute(
                    sa.update(ACTIONS).where(ACTIONS.c.id == row.id).values(description=value)
                )
        after = rows[-1].id


def _encrypt(keyring: KeyRing, value: str, row_key: str) -> str | None:
    if value.startswith("v2:") and _readable(keyring, value, row_key) is not None:
        return None  # done by a run that stopped part-way
    return keyring.encrypt(value, CONTEXT, row_key)


def _decrypt(keyring: KeyRing, value: str, row_key: str) -> str | None:
    return _readable(keyring, value, row_key) if value.startswith("v2:") else None


def _altered() -> Any:
    """A batch alteration of incident_actions (on SQLite, a copy of the table).

    Copying reflects the tables it refers to; teams' expression index cannot be
    reflected on SQLite, and is not in the copied table.
    """
    warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
    return op.batch_alter_table("incident_actions")


def upgrade() -> None:
    with warnings.catch_warnings(), _altered() as batch_op:
        batch_op.alter_column(
            "description",
            existing_type=sa.String(500),
            type_=sa.Text(),
            existing_nullable=False,
            comment=COMMENT,
        )
    _each_row(_encrypt)


def downgrade() -> None:
    _each_row(_decrypt)
    with warnings.catch_warnings(), _altered() as batch_op:
        batch_op.alter_column(
            "description",
            existing_type=sa.Text(),
            type_=sa.String(500),
            existing_nullable=False,
            comment=None,
            existing_comment=COMMENT,
        )
