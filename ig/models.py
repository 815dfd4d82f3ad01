"""Imports every feature's models so that Base.metadata knows every table."""

from __future__ import annotations

from importlib import import_module

from ig import FEATURES, PROJECT_ROOT
from ig.db import Base

for _name in FEATURES:
    if (PROJECT_ROOT / "ig" / _name / "models.py").exists():
        import_module(f"ig.{_name}.models")
import_module("ig.api.models")  # the API's idempotency keys (the API is not a feature)

__all__ = ["Base"]
