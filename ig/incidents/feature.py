"""The incidents feature: the breach register, grading, deadlines, actions and closure."""

from __future__ import annotations

# The page modules register their routes on the blueprint when imported.
from ig.feature import DemoContext, Feature, PolicyContext
from ig.incidents import action_views, api, manage_views  # noqa: F401 - routes
from ig.incidents.demo import load_incidents_demo
from ig.incidents.feed import ACTIONS, INCIDENTS
from ig.incidents.figures import incidents_section
from ig.incidents.followup_reminders import ico_follow_up
from ig.incidents.policy import IncidentsPolicy, load_incidents
from ig.incidents.reminders import actions_overdue, dhsc_deadline, notification_deadline
from ig.incidents.tasks import incident_tasks
from ig.incidents.views import bp


def _policy(context: PolicyContext) -> IncidentsPolicy:
    return load_incidents(context.directory)


def _demo(demo: DemoContext) -> None:
    load_incidents_demo(
        demo.session,
        demo.policies.incidents,
        demo.actors["staff@eastmere.example"],
        demo.actors["ig.officer@eastmere.example"],
        demo.actors["guardian@eastmere.example"],
        demo.now,
    )


FEATURE: Feature = Feature(
    "incidents",
    blueprint=bp,
    load_policy=_policy,
    reminder_sources={
        "incidents.notification_deadline": notification_deadline,
        "incidents.dhsc_deadline": dhsc_deadline,
        "incidents.actions": actions_overdue,
        "incidents.ico_follow_up": ico_follow_up,
    },
    task_sources=(incident_tasks,),
    load_demo=_demo,
    # The demo's incidents are reported by the teams the training demo builds.
    demo_after=("training",),
    report_sections=(incidents_section,),
    feeds=(INCIDENTS, ACTIONS),
)
