"""sharing: uploaded agreement PDFs move from the instance folder into the database,
encrypted in their rows, so that every app server reads them

The upgrade reads each document's file (<upload folder>/sharing/<stored name>), checks
it against the digest taken at upload and stores it encrypted in
sharing_document_contents. A missing, unreadable or changed file stops the upgrade
with a message naming it, and nothing is changed. The data step is resumable: a
document whose bytes are already stored is passed over. The files themselves are left
where they were, for the IG team to delete once the upgraded database is backed up
(see the README). The downgrade writes each document back to a file under a new name.

Revision ID: sharing_0004_documents
Revises: sharing_0003
Create Date: 2026-12-07 03:00:00
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

from ig.crypto import KeyRing, get_keyring, new_row_key
from ig.errors import IgError
from ig.migrations import UpgradeRefused
from ig.migrations.moving_files import (
    opened_checked,
    read_checked,
    upload_folder,
    write_owner_only,
)

revision = "sharing_0004_documents"
down_revision = "sharing_0003"
branch_labels = None
depends_on = None

CONTEXT = "sharing_document_contents.data"
UNIQUE_NAME = "uq_sharing_agreement_documents_stored_name"
DOCUMENTS = sa.table(
    "sharing_agreement_documents",
    sa.column("id", sa.Integer),
    sa.column("agreement_id", sa.Integer),
    sa.column("original_name", sa.String),
    sa.column("stored_name", sa.String),
    sa.column("sha256", sa.String),
)
CONTENTS = sa.table(
    "sharing_document_contents",
    sa.column("id", sa.Integer),
    sa.column("document_id", sa.Integer),
    sa.column("row_key", sa.String),
    sa.column("data", sa.Text),
)
AGREEMENTS = sa.table("sharing_agreements", sa.column("id", sa.Integer), sa.column("reference"))
SHOWN = (
    DOCUMENTS.c.id,
    DOCUMENTS.c.original_name,
    DOCUMENTS.c.sha256,
    AGREEMENTS.c.reference,
)


def _keyring() -> KeyRing:
    try:
        return get_keyring()
    except IgError as exc:
        raise UpgradeRefused(
            "agreement documents are to be encrypted in the database, which needs the data "
            "keys: run the upgrade through ig (ig init), with IG_DATA_KEYS_FILE set"
        ) from exc


def _folder() -> Path:
    return upload_folder("agreement documents") / "sharing"


def _named(row: Any) -> str:
    return f"document {row.id} ({row.original_name!r}) of agreement {row.reference}"


def _create_contents() -> None:
    op.create_table(
        "sharing_document_contents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False, comment="an uploaded agreement PDF"),
        sa.Column(
            "row_key",
            sa.String(length=32),
            nullable=False,
            comment="random identity of the row, bound into its encrypted values",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["sharing_agreement_documents.id"],
            name=op.f("fk_sharing_document_contents_document_id_sharing_agreement_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_document_contents")),
        sa.UniqueConstraint("document_id", name=op.f("uq_sharing_document_contents_document_id")),
    )
    op.create_index(
        "ix_sharing_document_contents_row_key",
        "sharing_document_contents",
        ["row_key"],
        unique=True,
    )


def _move_files() -> None:
    connection = op.get_bind()
    waiting = (
        sa.select(*SHOWN, DOCUMENTS.c.stored_name)
        .join(AGREEMENTS, AGREEMENTS.c.id == DOCUMENTS.c.agreement_id)
        .outerjoin(CONTENTS, CONTENTS.c.document_id == DOCUMENTS.c.id)
        .where(CONTENTS.c.id.is_(None))  # moved by a run that stopped part-way
        .order_by(DOCUMENTS.c.id)
        .limit(100)
    )
    after = 0
    while rows := connection.execute(waiting.where(DOCUMENTS.c.id > after)).all():
        folder, keyring = _folder(), _keyring()
        for row in rows:
            data = read_checked(folder / row.stored_name, row.sha256, _named(row))
            row_key = new_row_key()
            sealed = keyring.encrypt_bytes(data, CONTEXT, row_key)
            connection.execute(
                sa.insert(CONTENTS).values(document_id=row.id, row_key=row_key, data=sealed)
            )
        after = rows[-1].id


def upgrade() -> None:
    if not sa.inspect(op.get_bind()).has_table("sharing_document_contents"):
        _create_contents()
    _move_files()
    with op.batch_alter_table("sharing_agreement_documents", schema=None) as batch_op:
        batch_op.drop_constraint(UNIQUE_NAME, type_="unique")
        batch_op.drop_column("stored_name")


def _write_file(row: Any, folder: Path, keyring: KeyRing) -> str:
    """Write the document back to a new file, owner-only; return its name."""
    data = opened_checked(keyring, row.data, CONTEXT, row.row_key, row.sha256, _named(row))
    name = secrets.token_hex(16)
    write_owner_only(folder / name, data)
    return name


def _write_files_back() -> None:
    connection = op.get_bind()
    stored = (
        sa.select(*SHOWN, CONTENTS.c.row_key, CONTENTS.c.data)
        .join(AGREEMENTS, AGREEMENTS.c.id == DOCUMENTS.c.agreement_id)
        .join(CONTENTS, CONTENTS.c.document_id == DOCUMENTS.c.id)
        .where(DOCUMENTS.c.stored_name.is_(None))
        .order_by(DOCUMENTS.c.id)
        .limit(10)  # documents can be megabytes each
    )
    after = 0
    while rows := connection.execute(stored.where(DOCUMENTS.c.id > after)).all():
        folder, keyring = _folder(), _keyring()
        for row in rows:
            name = _write_file(row, folder, keyring)
            connection.execute(
                sa.update(DOCUMENTS).where(DOCUMENTS.c.id == row.id).values(stored_name=name)
            )
        after = rows[-1].id


def downgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns(DOCUMENTS.name)}
    if "stored_name" not in columns:
        op.add_column(DOCUMENTS.name, sa.Column("stored_name", sa.String(length=64)))
    _write_files_back()
    with op.batch_alter_table("sharing_agreement_documents", schema=None) as batch_op:
        batch_op.alter_column("stored_name", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(UNIQUE_NAME, ["stored_name"])
    op.drop_index("ix_sharing_document_contents_row_key", table_name="sharing_document_contents")
    op.drop_table("sharing_document_contents")
