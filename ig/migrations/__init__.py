"""Alembic migrations: the only way the schema changes."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

HERE = Path(__file__).resolve().parent


class UpgradeRefused(Exception):
    """A migration found data it cannot carry forward; the message says what to fix."""


def alembic_config(engine: Engine, upload_dir: Path | None = None) -> Config:
    """An Alembic configuration that runs on ``engine``'s connection.

    ``upload_dir`` is the instance's old upload folder, for the migrations that move the
    files once kept there into the database (sharing_0004, training_0002) and the
    downgrades that write them back. Nothing else keeps files on disk.
    """
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["engine"] = engine
    config.attributes["upload_dir"] = upload_dir
    return config


def upgrade(engine: Engine, revision: str = "heads", upload_dir: Path | None = None) -> None:
    """Bring the schema up to ``revision`` (every feature's head by default)."""
    command.upgrade(alembic_config(engine, upload_dir), revision)


def downgrade(engine: Engine, revision: str = "base", upload_dir: Path | None = None) -> None:
    """Take the schema back to ``revision`` (every table removed by default)."""
    command.downgrade(alembic_config(engine, upload_dir), revision)
