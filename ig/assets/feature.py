"""The information-asset feature: the register, its owners' annual confirmations."""

from __future__ import annotations

from ig.assets import api  # noqa: F401 - its endpoints join the API blueprint
from ig.assets.demo import load_assets_demo
from ig.assets.feed import ASSETS
from ig.assets.figures import assets_section
from ig.assets.policy import AssetsPolicy, load_assets
from ig.assets.reminders import confirmation_due
from ig.assets.tasks import confirmation_tasks
from ig.assets.views import bp
from ig.feature import DemoContext, Feature, PolicyContext


def _policy(context: PolicyContext) -> AssetsPolicy:
    return load_assets(context.directory)


def _demo(demo: DemoContext) -> None:
    load_assets_demo(
        demo.session,
        demo.policies.assets,
        demo.actors,
        {email: user.id for email, user in demo.users.items()},
        demo.now,
    )


FEATURE: Feature = Feature(
    "assets",
    blueprint=bp,
    load_policy=_policy,
    reminder_sources={"assets.confirmation": confirmation_due},
    task_sources=(confirmation_tasks,),
    demo_after=("sharing",),
    load_demo=_demo,
    report_sections=(assets_section,),
    feeds=(ASSETS,),
)
