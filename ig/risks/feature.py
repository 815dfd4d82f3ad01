"""The IG risk register: risks scored on the 5 x 5 matrix, their reviews, actions and links."""

from __future__ import annotations

from ig.feature import DemoContext, Feature, PolicyContext
from ig.risks import (
    api,  # noqa: F401 - its endpoints join the API blueprint
    record_views,  # noqa: F401 - the risk's page and its forms join bp
)
from ig.risks.demo import load_risks_demo
from ig.risks.figures import risks_section
from ig.risks.policy import RisksPolicy, load_risks
from ig.risks.reminders import review_due
from ig.risks.tasks import review_tasks
from ig.risks.views import bp


def _policy(context: PolicyContext) -> RisksPolicy:
    return load_risks(context.directory)


def _demo(demo: DemoContext) -> None:
    load_risks_demo(demo.session, demo.policies.risks, demo.actors, demo.users, demo.now)


FEATURE: Feature = Feature(
    "risks",
    blueprint=bp,
    load_policy=_policy,
    reminder_sources={"risks.review": review_due},
    task_sources=(review_tasks,),
    demo_after=("incidents", "dpia", "assets"),
    load_demo=_demo,
    report_sections=(risks_section,),
)
