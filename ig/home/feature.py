"""The home feature: each person's tasks and the health check."""

from __future__ import annotations

from ig.feature import Feature
from ig.home.views import bp

FEATURE: Feature = Feature("home", blueprint=bp)
