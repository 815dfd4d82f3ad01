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
from typing import Any

import sqlalchemy as sa
from alembic import op

from ig.migrations.encrypting import data_keys, each_row, readable

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
WHAT = "the incident actions' descriptions"


def _encrypt(row: Any) -> dict[str, object] | None:
    keyring, value = data_keys(WHAT), row.description or ""
    if value.startswith("v2:") and readable(keyring, value, CONTEXT, row.row_key) is not None:
        return None  # done by a run that stopped part-way
    return {"description": keyring.encrypt(value, CONTEXT, row.row_key)}


def _decrypt(row: Any) -> dict[str, object] | None:
    value = row.description or ""
    plain = (
        readable(data_keys(WHAT), value, CONTEXT, row.row_key) if value.startswith("v2:") else None
    )
    return None if plain is None else {"description": plain}


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
    each_row(ACTIONS, _encrypt)


def downgrade() -> None:
    each_row(ACTIONS, _decrypt)
    with warnings.catch_warnings(), _altered() as batch_op:
        batch_op.alter_column(
            "description",
            existing_type=sa.Text(),
            type_=sa.String(500),
            existing_nullable=False,
            comment=None,
            existing_comment=COMMENT,
        )
