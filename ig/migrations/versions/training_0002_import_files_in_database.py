"""training: the files of open imports move from the instance folder into the database,
encrypted in their rows, so that whichever app server checks or applies an import reads it

The upgrade creates training_import_files and reads the file of each import still open
(checking, checked or importing) from <upload folder>/<its stored name>, checks it against
the digest taken at upload and stores it encrypted. A missing, unreadable or changed file
stops the upgrade with a message naming it, and nothing is changed. The data step is
resumable: an import whose file is already stored is passed over. A decided import's file
was deleted when it was decided, and a failed one's is never read again, so neither is
looked for. The files themselves are left where they were, for the IG team to delete once
the upgraded database is backed up (see the README). The upgrade then drops
training_imports.stored_path. The downgrade writes each file still kept back to a new file
in the upload folder and records its path.

Revision ID: training_0002_files
Revises: training_0001
Create Date: 2026-12-07 05:30:00
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

from ig.crypto import KeyRing, new_row_key
from ig.migrations.encrypting import data_keys
from ig.migrations.moving_files import (
    opened_checked,
    read_checked,
    upload_folder,
    write_owner_only,
)

revision = "training_0002_files"
down_revision = "training_0001"
branch_labels = None
depends_on = ("crypto_0001",)  # values bound to their rows (v2)

CONTEXT = "training_import_files.data"
OPEN = ("checking", "checked", "importing")
BATCH = 10  # files can be megabytes each
IMPORTS = sa.table(
    "training_imports",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("file_name", sa.String),
    sa.column("file_hash", sa.String),
    sa.column("stored_path", sa.String),
)
FILES = sa.table(
    "training_import_files",
    sa.column("id", sa.Integer),
    sa.column("import_id", sa.Integer),
    sa.column("row_key", sa.String),
    sa.column("data", sa.Text),
)
SHOWN = (IMPORTS.c.id, IMPORTS.c.status, IMPORTS.c.file_name, IMPORTS.c.file_hash)


def _keyring() -> KeyRing:
    return data_keys("the files of open training imports")


def _folder() -> Path:
    return upload_folder("the files of open training imports")


def _named(row: Any) -> str:
    return f"import {row.id} ({row.file_name!r}, {row.status})"


def _create_files() -> None:
    op.create_table(
        "training_import_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column(
            "data",
            sa.Text(),
            nullable=False,
            comment="an uploaded staff register or completions export",
        ),
        sa.Column(
            "row_key",
            sa.String(length=32),
            nullable=False,
            comment="random identity of the row, bound into its encrypted values",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["training_imports.id"],
            name=op.f("fk_training_import_files_import_id_training_imports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_import_files")),
        sa.UniqueConstraint("import_id", name=op.f("uq_training_import_files_import_id")),
    )
    op.create_index(
        "ix_training_import_files_row_key", "training_import_files", ["row_key"], unique=True
    )


def _move_files() -> None:
    connection = op.get_bind()
    waiting = (
        sa.select(*SHOWN, IMPORTS.c.stored_path)
        .outerjoin(FILES, FILES.c.import_id == IMPORTS.c.id)
        .where(IMPORTS.c.status.in_(OPEN), FILES.c.id.is_(None))  # None: not moved yet
        .order_by(IMPORTS.c.id)
        .limit(BATCH)
    )
    after = 0
    while rows := connection.execute(waiting.where(IMPORTS.c.id > after)).all():
        folder, keyring = _folder(), _keyring()
        for row in rows:
            path = folder / Path(row.stored_path).name
            data = read_checked(path, row.file_hash, f"training {_named(row)}")
            row_key = new_row_key()
            sealed = keyring.encrypt_bytes(data, CONTEXT, row_key)
            del data  # one file in memory at a time, besides its sealed copy
            connection.execute(
                sa.insert(FILES).values(import_id=row.id, row_key=row_key, data=sealed)
            )
        after = rows[-1].id


def upgrade() -> None:
    if not sa.inspect(op.get_bind()).has_table("training_import_files"):
        _create_files()
    _move_files()
    with op.batch_alter_table("training_imports", schema=None) as batch_op:
        batch_op.drop_column("stored_path")


def _write_file(row: Any, folder: Path, keyring: KeyRing) -> Path:
    """Write the import's file back to a new file, owner-only; return its path."""
    named = f"training {_named(row)}"
    data = opened_checked(keyring, row.data, CONTEXT, row.row_key, row.file_hash, named)
    suffix = ".xlsx" if row.file_name.lower().endswith(".xlsx") else ".csv"
    path = folder / f"upload-{secrets.token_hex(16)}{suffix}"
    write_owner_only(path, data)
    return path


def _write_files_back() -> None:
    connection = op.get_bind()
    stored = (
        sa.select(*SHOWN, FILES.c.row_key, FILES.c.data)
        .join(FILES, FILES.c.import_id == IMPORTS.c.id)
        .where(IMPORTS.c.stored_path.is_(None))  # None: not written back yet
        .order_by(IMPORTS.c.id)
        .limit(BATCH)
    )
    after = 0
    while rows := connection.execute(stored.where(IMPORTS.c.id > after)).all():
        folder, keyring = _folder(), _keyring()
        for row in rows:
            path = _write_file(row, folder, keyring)
            connection.execute(
                sa.update(IMPORTS).where(IMPORTS.c.id == row.id).values(stored_path=str(path))
            )
        after = rows[-1].id


def downgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns(IMPORTS.name)}
    if "stored_path" not in columns:
        op.add_column(IMPORTS.name, sa.Column("stored_path", sa.String(length=500)))
    _write_files_back()
    # A decided or failed import's file was deleted: it has no path, as before.
    op.execute(sa.update(IMPORTS).where(IMPORTS.c.stored_path.is_(None)).values(stored_path=""))
    with op.batch_alter_table("training_imports", schema=None) as batch_op:
        batch_op.alter_column("stored_path", existing_type=sa.String(length=500), nullable=False)
    op.drop_index("ix_training_import_files_row_key", table_name="training_import_files")
    op.drop_table("training_import_files")
