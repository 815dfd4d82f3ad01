"""reports: each stored report's figures in columns, for the report figures feed

Revision ID: reports_0002
Revises: reports_0001
Create Date: 2026-12-07 17:35:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "reports_0002"
down_revision = "reports_0001"
branch_labels = None
depends_on = None


def _rows(report_id: int, content: dict[str, Any]) -> list[dict[str, Any]]:
    """The figures of a report stored before this table, as its rows."""
    return [
        {
            "report_id": report_id,
            "basis": basis,
            "section": section["key"],
            "key": figure["key"],
            "label": figure["label"],
            "group": figure.get("group", ""),
            "value": figure.get("value"),
            "unit": figure.get("unit", "count"),
            "target": figure.get("target"),
        }
        for basis in ("then", "now")
        for section in content.get(basis, [])
        for figure in section["figures"]
    ]


def upgrade() -> None:
    figures = op.create_table(
        "ig_report_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=10), nullable=False),
        sa.Column("section", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("group", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["ig_reports.id"],
            name=op.f("fk_ig_report_figures_report_id_ig_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ig_report_figures")),
    )
    op.create_index("ix_ig_report_figures_report_id", "ig_report_figures", ["report_id"])
    reports = sa.table("ig_reports", sa.column("id", sa.Integer), sa.column("content", sa.JSON))
    connection = op.get_bind()
    for report_id, content in connection.execute(sa.select(reports.c.id, reports.c.content)):
        rows = _rows(report_id, content)
        if rows:
            connection.execute(figures.insert(), rows)


def downgrade() -> None:
    op.drop_index("ix_ig_report_figures_report_id", table_name="ig_report_figures")
    op.drop_table("ig_report_figures")
