"""The information rights feature: requests on their legal clocks."""

from __future__ import annotations

from ig.feature import Feature, PolicyContext
from ig.rights.policy import RightsPolicy, load_rights


def _policy(context: PolicyContext) -> RightsPolicy:
    return load_rights(context.directory)


FEATURE: Feature = Feature("rights", load_policy=_policy)
