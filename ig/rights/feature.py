"""The information rights feature: requests, complaints, FOI and EIR on their legal clocks."""

from __future__ import annotations

from ig.feature import Feature, PolicyContext
from ig.rights.policy import RightsPolicy, load_rights
from ig.rights.views import bp


def _policy(context: PolicyContext) -> RightsPolicy:
    return load_rights(context.directory)


FEATURE: Feature = Feature("rights", blueprint=bp, load_policy=_policy)
