"""The sharing feature: partner organisations, data-sharing agreements, "may we share?"."""

from __future__ import annotations

from ig.feature import DemoContext, Feature, PolicyContext
from ig.sharing import api  # noqa: F401 - its endpoints join the API blueprint
from ig.sharing.cli import load_organisations_command, load_reference_lists, sharing_group
from ig.sharing.demo import load_sharing_demo
from ig.sharing.feed import AGREEMENTS, ORGANISATIONS
from ig.sharing.figures import sharing_section
from ig.sharing.policy import SharingPolicy, load_sharing
from ig.sharing.reminders import agreement_end, agreement_review
from ig.sharing.tasks import sharing_tasks
from ig.sharing.views import bp

OFFICER = "ig.officer@eastmere.example"


def _policy(context: PolicyContext) -> SharingPolicy:
    return load_sharing(context.directory)


def _demo(demo: DemoContext) -> None:
    load_sharing_demo(demo.session, demo.actors[OFFICER], demo.policies.sharing)


FEATURE: Feature = Feature(
    "sharing",
    blueprint=bp,
    load_policy=_policy,
    commands=(load_organisations_command, sharing_group),
    on_init=load_reference_lists,
    reminder_sources={
        "sharing.agreement_review": agreement_review,
        "sharing.agreement_end": agreement_end,
    },
    task_sources=(sharing_tasks,),
    load_demo=_demo,
    report_sections=(sharing_section,),
    feeds=(AGREEMENTS, ORGANISATIONS),
)
