"""auth: index users' names and e-mail addresses for the pickers' search

Revision ID: auth_0001
Revises:
Create Date: 2026-12-07 05:40:00

At council scale (20,000 staff) the person pickers (an action's owner, a notice's
owner, a team's manager) search lower(name) and lower(email); see
ig/migrations/name_search.py for the indexes and for PostgreSQL without pg_trgm.
"""

from __future__ import annotations

from ig.migrations.name_search import create_name_indexes, drop_name_indexes

revision = "auth_0001"
down_revision = None
branch_labels = ("auth",)
depends_on = ("0005",)

COLUMNS = ("name", "email")


def upgrade() -> None:
    create_name_indexes("users", COLUMNS)


def downgrade() -> None:
    drop_name_indexes("users", COLUMNS)
