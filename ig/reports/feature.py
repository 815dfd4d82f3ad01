"""The reports feature: the IG report across every register, stored and reissued."""

from __future__ import annotations

from ig.feature import Feature, PolicyContext
from ig.reports.demo import load_reports_demo
from ig.reports.feed import FIGURES
from ig.reports.policy import ReportsPolicy, load_reports
from ig.reports.views import bp


def _policy(context: PolicyContext) -> ReportsPolicy:
    return load_reports(context.directory)


FEATURE: Feature = Feature(
    "reports",
    blueprint=bp,
    load_policy=_policy,
    load_demo=load_reports_demo,
    feeds=(FIGURES,),
    # The report reads every register, so its demo runs after theirs.
    demo_after=(
        "incidents",
        "caldicott",
        "sharing",
        "training",
        "notices",
        "dpia",
        "assets",
        "contracts",
        "processing",
        "access",
        "rights",
        "risks",
    ),
)
