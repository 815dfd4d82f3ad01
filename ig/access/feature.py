"""Approved access to information systems: requested, approved by the line manager,
granted and removed by the asset's owner or administrator."""

from __future__ import annotations

from ig.access import (  # noqa: F401 - their pages join the blueprint, its endpoints the API's
    api,
    recertify_views,
    report_views,
)
from ig.access.demo import load_access_demo
from ig.access.feed import GRANTS
from ig.access.figures import access_section
from ig.access.policy import AccessPolicy, load_access
from ig.access.reminders import recertification_due
from ig.access.tasks import access_tasks
from ig.access.views import bp
from ig.feature import DemoContext, Feature, PolicyContext


def _policy(context: PolicyContext) -> AccessPolicy:
    return load_access(context.directory)


def _demo(demo: DemoContext) -> None:
    load_access_demo(demo.session, demo.policies.access, demo.actors, demo.now)


FEATURE: Feature = Feature(
    "access",
    blueprint=bp,
    load_policy=_policy,
    reminder_sources={"access.recertification": recertification_due},
    task_sources=(access_tasks,),
    demo_after=("assets", "training"),
    load_demo=_demo,
    report_sections=(access_section,),
    feeds=(GRANTS,),
)
