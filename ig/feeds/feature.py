"""Read-only feeds for Power BI and other tools: each feature's feeds (its ``feed.py``),
served under the API at /api/v1/feeds."""

from __future__ import annotations

from ig.feature import Feature
from ig.feeds import api  # noqa: F401 - its endpoints join the API blueprint

FEATURE: Feature = Feature("feeds")
