"""incidents: the reason for not notifying the ICO is encrypted like the other free text,
and a flag, decided_not_to_notify, says in SQL that a decision is recorded, for the
72-hour clocks (their two partial indexes are rebuilt on the flag)

The data step is resumable: each row's flag and encrypted reason are written in one
UPDATE, and a row whose reason already decrypts in its row is passed over.

Revision ID: incidents_0004_not_notifying
Revises: incidents_0003_overdue
Create Date: 2026-12-07 00:10:00
"""

from __future__ import annotations

import warnings
from typing import Any

import sqlalchemy as sa
from alembic import op

from ig.migrations.encrypting import data_keys, each_row, readable

revision = "incidents_0004_not_notifying"
down_revision = "incidents_0003_overdue"
branch_labels = None
depends_on = ("crypto_0001",)

CONTEXT = "incidents.no_notification_reason"
COMMENT = "why the ICO is not being told"
CLOCK = (
    "deadline_at IS NOT NULL AND (kind IS NULL OR kind = 'breach') AND status IN "
    "('investigating', 'notified', 'reported', 'triaged')"
)
# The predicates exactly as ig/incidents/register.py writes its clauses, before and after.
ICO = (
    CLOCK + " AND first_notified_at IS NULL AND {decided} AND "
    "(likelihood IS NULL OR is_ico_notifiable IS {true} OR needs_confirmation IS {true} "
    "AND confirmed_at IS NULL AND ico_override IS NULL)"
)
DHSC = CLOCK + " AND {decided} AND likelihood IS NOT NULL AND is_dhsc_notifiable IS {true}"
BY_REASON = "no_notification_reason = ''"
BY_FLAG = "decided_not_to_notify IS {false}"
INCIDENTS = sa.table(
    "incidents",
    sa.column("id", sa.Integer),
    sa.column("row_key", sa.String),
    sa.column("no_notification_reason", sa.Text),
    sa.column("decided_not_to_notify", sa.Boolean),
)


def _where(predicate: str, decided: str) -> dict[str, Any]:
    sqlite = {"true": "1", "false": "0"}
    postgresql = {"true": "true", "false": "false"}
    return {
        "sqlite_where": sa.text(predicate.format(decided=decided.format(**sqlite), **sqlite)),
        "postgresql_where": sa.text(
            predicate.format(decided=decided.format(**postgresql), **postgresql)
        ),
    }


def _indexes(decided: str) -> None:
    op.drop_index("ix_incidents_dhsc_clock", table_name="incidents")
    op.drop_index("ix_incidents_ico_clock", table_name="incidents")
    op.create_index("ix_incidents_ico_clock", "incidents", ["deadline_at"], **_where(ICO, decided))
    op.create_index(
        "ix_incidents_dhsc_clock", "incidents", ["deadline_at"], **_where(DHSC, decided)
    )


WHAT = "the reasons for not notifying the ICO"


def _encrypt(row: Any) -> dict[str, object] | None:
    keyring, value = data_keys(WHAT), row.no_notification_reason or ""
    if value.startswith("v2:") and readable(keyring, value, CONTEXT, row.row_key) is not None:
        return None  # done by a run that stopped part-way
    return {
        "no_notification_reason": keyring.encrypt(value, CONTEXT, row.row_key),
        "decided_not_to_notify": bool(value.strip()),
    }


def _decrypt(row: Any) -> dict[str, object] | None:
    value = row.no_notification_reason or ""
    plain = (
        readable(data_keys(WHAT), value, CONTEXT, row.row_key) if value.startswith("v2:") else None
    )
    return None if plain is None else {"no_notification_reason": plain}


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("incidents")}
    if "decided_not_to_notify" not in columns:
        op.add_column(
            "incidents",
            sa.Column(
                "decided_not_to_notify", sa.Boolean(), nullable=False, server_default=sa.false()
            ),
        )
    each_row(INCIDENTS, _encrypt)
    if op.get_bind().dialect.name != "sqlite":  # SQLite keeps no comments
        op.alter_column(
            "incidents",
            "no_notification_reason",
            existing_type=sa.Text(),
            existing_nullable=False,
            comment=COMMENT,
        )
        op.alter_column("incidents", "decided_not_to_notify", server_default=None)
    _indexes(BY_FLAG)


def downgrade() -> None:
    _indexes(BY_REASON)
    each_row(INCIDENTS, _decrypt)
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(
            "incidents",
            "no_notification_reason",
            existing_type=sa.Text(),
            existing_nullable=False,
            comment=None,
            existing_comment=COMMENT,
        )
    # On SQLite a batch copies the table, reflecting the tables it refers to; teams'
    # expression index cannot be reflected there, and is not in the copied table.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        with op.batch_alter_table("incidents", schema=None) as batch_op:
            batch_op.drop_column("decided_not_to_notify")
