"""Migration 0005: tokens issued before expiry existed last until creation + 90 days."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table

from ig.db import UTCDateTime
from ig.migrations import downgrade, upgrade
from tests.test_migrations import scratch_engine  # noqa: F401 - the fixture

CREATED = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)
REVOKED = dt.datetime(2026, 1, 6, 10, 0, tzinfo=dt.UTC)

metadata = MetaData()
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String),
    Column("name", String),
    Column("password_hash", String),
    Column("is_active", Boolean),
    Column("password_changed_at", UTCDateTime()),
    Column("version", Integer),
    Column("created_at", UTCDateTime()),
    Column("updated_at", UTCDateTime()),
)
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer),
    Column("name", String),
    Column("prefix", String),
    Column("token_hash", String),
    Column("created_at", UTCDateTime()),
    Column("revoked_at", UTCDateTime()),
)
after = Table(
    "api_tokens",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("expires_at", UTCDateTime()),
    Column("revoked_at", UTCDateTime()),
    Column("revoked_reason", String),
)


def test_existing_tokens_expire_90_days_after_creation_and_revoked_ones_stay_revoked(
    scratch_engine,  # noqa: F811 - the fixture imported above
):
    upgrade(scratch_engine, "0004")
    with scratch_engine.begin() as connection:
        connection.execute(
            sa.insert(users).values(
                id=1,
                email="lms@example.org",
                name="LMS",
                password_hash="x",
                is_active=True,
                password_changed_at=CREATED,
                version=1,
                created_at=CREATED,
                updated_at=CREATED,
            )
        )
        for number, revoked in ((1, None), (2, REVOKED)):
            connection.execute(
                sa.insert(api_tokens).values(
                    id=number,
                    user_id=1,
                    name=f"token {number}",
                    prefix="igt_x",
                    token_hash=f"{number:064d}",
                    created_at=CREATED,
                    revoked_at=revoked,
                )
            )
    upgrade(scratch_engine, "0005")
    with scratch_engine.connect() as connection:
        rows = connection.execute(sa.select(after).order_by(after.c.id)).all()
    expiry = CREATED + dt.timedelta(days=90)
    assert [tuple(row) for row in rows] == [
        (1, expiry, None, None),
        (2, expiry, REVOKED, "revoked before tokens had reasons"),
    ]
    downgrade(scratch_engine, "0004")
    with scratch_engine.connect() as connection:
        columns = {column["name"] for column in sa.inspect(connection).get_columns("api_tokens")}
    assert "expires_at" not in columns
    assert "revoked_reason" not in columns
