"""crypto: bind every encrypted value to its row (a row key per table, v2 values), and
encrypt the free text that was still stored in the clear (incidents' others told and
reasons, a notification's external reference and late reason, the incident timeline's
summary, an action's acceptance reason, a Caldicott request's requester name and role)

The data step is resumable: rows that already have a row key keep it, and values that
already decrypt as v2 in their row are passed over, so an interrupted upgrade is run
again. Values under a key no longer in the key ring are left as they were (unreadable
before, and still counted by ``ig keys``).

Revision ID: crypto_0001
Revises:
Create Date: 2026-12-06 23:00:00
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from alembic import op

import ig.crypto
import ig.encrypted
from ig.crypto import get_keyring
from ig.errors import IgError
from ig.migrations import UpgradeRefused
from ig.rebind import TableSpec, bind_rows, unbind_rows

revision = "crypto_0001"
down_revision = None
branch_labels = ("crypto",)
depends_on = ("0004", "caldicott_0002", "incidents_0003_overdue", "training_0001")

ROW_KEY_COMMENT = "random identity of the row, bound into its encrypted values"

TABLES = (
    TableSpec("users", sealed=("totp_secret",)),
    TableSpec("training_exemptions", sealed=("reason",)),
    TableSpec("training_assignments", sealed=("reason",)),
    TableSpec(
        "incidents",
        sealed=(
            "narrative",
            "discovery",
            "containment",
            "consequences",
            "investigation_notes",
            "root_cause",
            "lessons_learned",
            "impact_detail",
            "preventative_measures",
        ),
        clear=(
            "others_told",
            "reported_before_detail",
            "status_reason",
            "override_reason",
            "people_told_how",
            "public_communication",
        ),
    ),
    TableSpec("incident_actions", clear=("acceptance_reason",)),
    TableSpec("incident_affected_people", sealed=("identifier", "name", "note")),
    TableSpec(
        "incident_notifications",
        sealed=("content",),
        clear=("external_reference", "late_reason"),
    ),
    TableSpec("incident_timeline", clear=("summary",)),
    TableSpec(
        "caldicott_requests",
        sealed=("purpose", "information", "case_details"),
        clear=("requester_name", "requester_role"),
    ),
    TableSpec("caldicott_subjects", sealed=("identifier",)),
    TableSpec(
        "caldicott_decisions",
        sealed=(
            "amendment_reason",
            "legal_basis_note",
            "principle_notes",
            "consultations",
            "recommendation",
            "conditions",
            "reasons",
        ),
    ),
)

# The columns newly encrypted: (table, column, type before, comment).
NEWLY_ENCRYPTED = (
    ("incidents", "others_told", sa.Text(), "who outside the organisation has been told"),
    ("incidents", "reported_before_detail", sa.Text(), "a similar breach reported before"),
    (
        "incidents",
        "status_reason",
        sa.Text(),
        "why an incident was withdrawn, reopened or closed",
    ),
    (
        "incidents",
        "override_reason",
        sa.Text(),
        "why the graded duty to notify was overridden",
    ),
    ("incidents", "people_told_how", sa.Text(), "how the people affected were told"),
    (
        "incidents",
        "public_communication",
        sa.Text(),
        "public communication in place of telling people",
    ),
    (
        "incident_actions",
        "acceptance_reason",
        sa.Text(),
        "why an action's risk was accepted",
    ),
    (
        "incident_notifications",
        "external_reference",
        sa.String(length=60),
        "the regulator's case reference",
    ),
    (
        "incident_notifications",
        "late_reason",
        sa.Text(),
        "reasons for notifying after the deadline",
    ),
    (
        "incident_timeline",
        "summary",
        sa.String(length=500),
        "what happened, which may repeat a reference or reason recorded",
    ),
    (
        "caldicott_requests",
        "requester_name",
        sa.String(length=200),
        "name of the person making a Caldicott request",
    ),
    (
        "caldicott_requests",
        "requester_role",
        sa.String(length=200),
        "role of the person making a Caldicott request",
    ),
)


def _keyring() -> ig.crypto.KeyRing:
    try:
        return get_keyring()
    except IgError as exc:
        raise UpgradeRefused(
            "encrypted values must be re-encrypted, which needs the data keys: "
            "run the upgrade through ig (ig init), with IG_DATA_KEYS_FILE set"
        ) from exc


@contextmanager
def _batch(table: str) -> Iterator[Any]:
    # On SQLite a batch copies the table, reflecting the tables it refers to; teams'
    # expression index cannot be reflected there, and is not in the copied table.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        with op.batch_alter_table(table, schema=None) as batch_op:
            yield batch_op


def _retype(table: str, column: str, old: sa.types.TypeEngine, comment: str, up: bool) -> None:
    new_type = ig.encrypted.EncryptedText(f"{table}.{column}")
    with _batch(table) as batch_op:
        batch_op.alter_column(
            column,
            existing_type=old if up else new_type,
            type_=new_type if up else old,
            existing_nullable=False,
            comment=comment if up else None,
            existing_comment=None if up else comment,
        )


def _columns(table: str) -> dict[str, Any]:
    return {c["name"]: c for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    # Each step checks what is already there, so that a run which stopped part-way
    # (where DDL is not transactional) is run again and carries on.
    commented = op.get_bind().dialect.name != "sqlite"  # SQLite keeps no comments
    for table, column, old, comment in NEWLY_ENCRYPTED:
        found = _columns(table)[column]
        done = isinstance(found["type"], sa.Text) and (
            not commented or found.get("comment") == comment
        )
        if not done:
            _retype(table, column, old, comment, up=True)
    for spec in TABLES:
        if "row_key" not in _columns(spec.name):
            op.add_column(
                spec.name,
                sa.Column(
                    "row_key",
                    sa.String(length=32),
                    nullable=False,
                    server_default="",
                    comment=ROW_KEY_COMMENT,
                ),
            )
    connection = op.get_bind()
    for spec in TABLES:
        bind_rows(connection, _keyring, spec)
        indexes = {i["name"] for i in sa.inspect(connection).get_indexes(spec.name)}
        if f"ix_{spec.name}_row_key" not in indexes:
            op.create_index(f"ix_{spec.name}_row_key", spec.name, ["row_key"], unique=True)
        if connection.dialect.name != "sqlite":  # SQLite cannot drop a default in place
            op.alter_column(spec.name, "row_key", server_default=None)


def downgrade() -> None:
    connection = op.get_bind()
    for spec in TABLES:
        unbind_rows(connection, _keyring, spec)
        op.drop_index(f"ix_{spec.name}_row_key", table_name=spec.name)
        with _batch(spec.name) as batch_op:
            batch_op.drop_column("row_key")
    for table, column, old, comment in NEWLY_ENCRYPTED:
        _retype(table, column, old, comment, up=False)
