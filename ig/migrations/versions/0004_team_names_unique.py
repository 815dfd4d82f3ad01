"""people: a team's name is unique among the teams beside it, ignoring case

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 12:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ig.migrations import UpgradeRefused

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    clashes = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT parent_id, lower(name), count(*) FROM teams"
                " GROUP BY parent_id, lower(name) HAVING count(*) > 1"
            )
        )
        .all()
    )
    if clashes:
        listed = "; ".join(
            f"{count} teams called {name!r} " + (f"under team {parent}" if parent else "at the top")
            for parent, name, count in clashes
        )
        raise UpgradeRefused(
            f"Some teams share a name with a team beside them ({listed}). Rename all but one "
            "of each on the team pages (/people/teams), then upgrade again."
        )
    op.create_index(
        "uq_teams_parent_name",
        "teams",
        [sa.text("coalesce(parent_id, 0)"), sa.text("lower(name)")],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_teams_parent_name", table_name="teams")
