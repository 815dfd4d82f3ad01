"""Alembic migrations: the only way the schema changes."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

HERE = Path(__file__).resolve().parent


class UpgradeRefused(Exception):
    """A migration found data it cannot carry forward; the message says what to fix."""


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration that runs on ``engine``'s connection."""
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the schema up to ``revision`` (every feature's head by default)."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Take the schema back to ``revision`` (every table removed by default)."""
    command.downgrade(alembic_config(engine), revision)
