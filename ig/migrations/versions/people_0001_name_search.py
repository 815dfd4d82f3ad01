"""people: index organisations' and teams' names for the pickers' search

Revision ID: people_0001
Revises:
Create Date: 2026-12-07 05:40:00

At council scale (5,000 partner organisations, hundreds of teams) a picker searches
lower(name); see ig/migrations/name_search.py for the indexes and for PostgreSQL
without pg_trgm.
"""

from __future__ import annotations

from ig.migrations.name_search import create_name_indexes, drop_name_indexes

revision = "people_0001"
down_revision = None
branch_labels = ("people",)
depends_on = ("0004", "sharing_0001")

TABLES = {"organisations": ("name",), "teams": ("name",)}


def upgrade() -> None:
    for table, columns in TABLES.items():
        create_name_indexes(table, columns)


def downgrade() -> None:
    for table, columns in TABLES.items():
        drop_name_indexes(table, columns)
