"""dpia: links from a DPIA to processing activities and information assets, and the
agreements whose free-text DPIA reference names a DPIA in the register linked for real

Revision ID: dpia_0002
Revises: dpia_0001
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from alembic import op

import ig.db

revision = "dpia_0002"
down_revision = "dpia_0001"
branch_labels = None
depends_on = ("processing_0001",)  # which itself depends on assets_0001

# "DPIA 12", "dpia-0012", "DPIA #12" or "12": the number the DPIA's page shows.
NUMBERED = re.compile(r"^(?:dpia)?[\s#:_-]*0*([0-9]{1,9})$", re.IGNORECASE)


def _link_table(name: str, column: str, target: str) -> None:
    op.create_table(
        name,
        sa.Column("dpia_id", sa.Integer(), nullable=False),
        sa.Column(column, sa.Integer(), nullable=False),
        sa.Column("linked_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            [column],
            [f"{target}.id"],
            name=op.f(f"fk_{name}_{column}_{target}"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dpia_id"], ["dpias.id"], name=op.f(f"fk_{name}_dpia_id_dpias"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("dpia_id", column, name=op.f(f"pk_{name}")),
    )
    op.create_index(f"ix_{name}_{column}", name, [column])


def matching_dpia(reference: str, ids: set[int], titles: dict[str, list[int]]) -> int | None:
    """The DPIA a free-text reference names: by its number, or by its title if unique."""
    text = reference.strip()
    numbered = NUMBERED.match(text)
    if numbered and int(numbered.group(1)) in ids:
        return int(numbered.group(1))
    same = titles.get(text.lower(), [])
    return same[0] if len(same) == 1 else None


def _link_agreements() -> None:
    """Link each agreement whose dpia_reference names a DPIA; the text itself is kept."""
    bind = op.get_bind()
    dpias = bind.execute(sa.text("SELECT id, title FROM dpias")).all()
    if not dpias:
        return
    ids = {row.id for row in dpias}
    titles: dict[str, list[int]] = {}
    for row in dpias:
        titles.setdefault(row.title.strip().lower(), []).append(row.id)
    agreements = bind.execute(
        sa.text("SELECT id, dpia_reference FROM sharing_agreements WHERE dpia_reference <> ''")
    ).all()
    linked = {
        (row.dpia_id, row.agreement_id)
        for row in bind.execute(
            sa.text("SELECT dpia_id, agreement_id FROM dpia_sharing_agreements")
        )
    }
    table = sa.table(
        "dpia_sharing_agreements",
        sa.column("dpia_id", sa.Integer()),
        sa.column("agreement_id", sa.Integer()),
        sa.column("linked_at", ig.db.UTCDateTime(timezone=True)),
    )
    now = dt.datetime.now(dt.UTC)
    rows = []
    for agreement in agreements:
        dpia_id = matching_dpia(agreement.dpia_reference, ids, titles)
        if dpia_id is not None and (dpia_id, agreement.id) not in linked:
            linked.add((dpia_id, agreement.id))
            rows.append({"dpia_id": dpia_id, "agreement_id": agreement.id, "linked_at": now})
    if rows:
        op.bulk_insert(table, rows)


def upgrade() -> None:
    _link_table("dpia_processing_activities", "activity_id", "processing_activities")
    _link_table("dpia_information_assets", "asset_id", "information_assets")
    _link_agreements()


def downgrade() -> None:
    # The agreements' links made by the upgrade stay: they are real links, and each
    # agreement's free-text reference was never changed.
    op.drop_table("dpia_information_assets")
    op.drop_table("dpia_processing_activities")
