"""Fixtures for the IG report tests."""

from __future__ import annotations

from tests.committing import client  # noqa: F401 - the committing client fixture
