"""Imports every feature's models so that Base.metadata knows every table."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from ig.db import Base
from ig.features import FEATURES

for _feature in FEATURES:
    if find_spec(f"ig.{_feature.name}.models") is not None:
        import_module(f"ig.{_feature.name}.models")
import_module("ig.api.models")  # the API's idempotency keys (the API is not a feature)
import_module("ig.cache")  # computed figures shared by every app server

__all__ = ["Base"]
