"""The information rights feature: requests, complaints, FOI and EIR on their legal clocks."""

from __future__ import annotations

from ig.feature import DemoContext, Feature, PolicyContext
from ig.rights import (
    api,  # noqa: F401 - its endpoints join the API blueprint
    figure_views,  # noqa: F401 - its page joins the rights blueprint, its endpoint the API
    record_views,  # noqa: F401 - its page joins the rights blueprint
    refusal_views,  # noqa: F401 - its pages join the rights blueprint
    task_views,  # noqa: F401 - its pages join the rights blueprint
)
from ig.rights.demo import load_rights_demo
from ig.rights.feed import REQUESTS
from ig.rights.figures import rights_section
from ig.rights.policy import RightsPolicy, load_rights
from ig.rights.reminders import deadline_due, task_due, unassigned_deadline_due
from ig.rights.tasks import rights_tasks, search_tasks
from ig.rights.views import bp


def _policy(context: PolicyContext) -> RightsPolicy:
    return load_rights(context.directory)


def _demo(demo: DemoContext) -> None:
    load_rights_demo(demo.session, demo.policies.rights, demo.actors, demo.now, demo.policies.roles)


FEATURE: Feature = Feature(
    "rights",
    blueprint=bp,
    load_policy=_policy,
    reminder_sources={
        "rights.deadline": deadline_due,
        "rights.deadline_unassigned": unassigned_deadline_due,
        "rights.task": task_due,
    },
    task_sources=(rights_tasks, search_tasks),
    load_demo=_demo,
    report_sections=(rights_section,),
    feeds=(REQUESTS,),
)
