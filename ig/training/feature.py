"""The training feature: courses, completions, imports and compliance."""

from __future__ import annotations

from ig.feature import DemoContext, Feature, PolicyContext
from ig.training import api  # noqa: F401 - its endpoints join the API blueprint
from ig.training.cli import COMMANDS
from ig.training.demo import load_training_demo
from ig.training.feed import COMPLETIONS, COMPLIANCE
from ig.training.policy import TrainingPolicy, load_training
from ig.training.reminders import training_due
from ig.training.report_figures import training_section
from ig.training.tasks import training_tasks
from ig.training.views import bp


def _policy(context: PolicyContext) -> TrainingPolicy:
    return load_training(context.directory, context.roles.roles)


def _demo(demo: DemoContext) -> None:
    load_training_demo(
        demo.session,
        demo.policies.training,
        demo.users["manager@eastmere.example"].id,
        demo.users["staff@eastmere.example"].id,
        demo.now.date(),
    )


FEATURE: Feature = Feature(
    "training",
    blueprint=bp,
    load_policy=_policy,
    commands=tuple(COMMANDS),
    reminder_sources={"training.due": training_due},
    task_sources=(training_tasks,),
    load_demo=_demo,
    report_sections=(training_section,),
    feeds=(COMPLETIONS, COMPLIANCE),
)
