"""incidents: two partial indexes for the 72-hour clocks, the incidents still waiting on
the ICO (grading, confirmation or the notification) and those graded for DHSC, so the
register's overdue filter and the home page's counts never read the whole table

Revision ID: incidents_0003_overdue
Revises: incidents_0003_ico_form
Create Date: 2026-12-06 21:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "incidents_0003_overdue"
down_revision = "incidents_0003_ico_form"
branch_labels = None
depends_on = None

# The predicates exactly as ig/incidents/register.py writes its clauses (ico_pending_clause,
# dhsc_owed_clause): SQLite uses a partial index only when the query's terms match it.
CLOCK = (
    "deadline_at IS NOT NULL AND (kind IS NULL OR kind = 'breach') AND status IN "
    "('investigating', 'notified', 'reported', 'triaged')"
)
ICO = (
    CLOCK + " AND first_notified_at IS NULL AND no_notification_reason = '' AND "
    "(likelihood IS NULL OR is_ico_notifiable IS {true} OR needs_confirmation IS {true} "
    "AND confirmed_at IS NULL AND ico_override IS NULL)"
)
DHSC = (
    CLOCK + " AND no_notification_reason = '' AND likelihood IS NOT NULL AND "
    "is_dhsc_notifiable IS {true}"
)


def _where(predicate: str) -> dict[str, sa.TextClause]:
    return {
        "sqlite_where": sa.text(predicate.format(true="1")),
        "postgresql_where": sa.text(predicate.format(true="true")),
    }


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index("ix_incidents_ico_clock", ["deadline_at"], **_where(ICO))
        batch_op.create_index("ix_incidents_dhsc_clock", ["deadline_at"], **_where(DHSC))


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_dhsc_clock", **_where(DHSC))
        batch_op.drop_index("ix_incidents_ico_clock", **_where(ICO))
