"""The DPIA feature: screening, assessment, the ICO's prior consultation and sign-off."""

from __future__ import annotations

from ig.dpia import api, link_views, step_views  # noqa: F401 - routes join the blueprints
from ig.dpia.demo import load_dpia_demo
from ig.dpia.feed import DPIAS
from ig.dpia.figures import dpia_section
from ig.dpia.policy import DpiaPolicy, load_dpia
from ig.dpia.reminders import review_due
from ig.dpia.tasks import dpia_tasks
from ig.dpia.views import bp
from ig.feature import DemoContext, Feature, PolicyContext

OFFICER = "ig.officer@eastmere.example"


def _policy(context: PolicyContext) -> DpiaPolicy:
    return load_dpia(context.directory)


def _demo(demo: DemoContext) -> None:
    load_dpia_demo(
        demo.session,
        demo.policies.dpia,
        demo.actors[OFFICER],
        demo.actors["siro@eastmere.example"],
        demo.users[OFFICER].id,
        demo.now,
    )


FEATURE: Feature = Feature(
    "dpia",
    blueprint=bp,
    load_policy=_policy,
    reminder_sources={"dpia.review": review_due},
    task_sources=(dpia_tasks,),
    load_demo=_demo,
    # The demo's DPIAs link the sharing demo's agreements, activities and assets.
    demo_after=("sharing", "processing", "assets"),
    report_sections=(dpia_section,),
    feeds=(DPIAS,),
)
