"""The people feature: teams, staff and the HR staff register."""

from __future__ import annotations

from ig.feature import Feature
from ig.people.views import bp

FEATURE: Feature = Feature("people", blueprint=bp)
