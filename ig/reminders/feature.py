"""The reminders feature: the engine's pass, the outbox, notifications and the scheduler."""

from __future__ import annotations

from ig.feature import DemoContext, Feature, PolicyContext
from ig.reminders.cli import remind_command, scheduler_command
from ig.reminders.demo import load_reminders_demo
from ig.reminders.policy import RemindersPolicy, load_reminders
from ig.reminders.service import notification_tasks
from ig.reminders.views import bp


def _policy(context: PolicyContext) -> RemindersPolicy:
    return load_reminders(context.directory, context.roles.roles, context.reminder_sources)


def _demo(demo: DemoContext) -> None:
    load_reminders_demo(demo.session, demo.policies.reminders, demo.now)


FEATURE: Feature = Feature(
    "reminders",
    blueprint=bp,
    load_policy=_policy,
    commands=(remind_command, scheduler_command),
    task_sources=(notification_tasks,),
    load_demo=_demo,
    # One pass over every other feature's demo records, so notifications have content.
    demo_after=("training", "incidents", "sharing", "caldicott", "notices"),
)
