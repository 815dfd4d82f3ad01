"""The Caldicott feature: the decision log, assessment, the Guardian's sign-off."""

from __future__ import annotations

from ig.caldicott import api, decision_views, log_views  # noqa: F401 - routes
from ig.caldicott.demo import load_caldicott_demo
from ig.caldicott.feed import DECISIONS
from ig.caldicott.figures import caldicott_section
from ig.caldicott.integrity import verify_signed_decisions
from ig.caldicott.policy import CaldicottPolicy, load_caldicott
from ig.caldicott.reminders import decision_review
from ig.caldicott.tasks import caldicott_tasks
from ig.caldicott.views import bp
from ig.feature import DemoContext, Feature, PolicyContext

GUARDIAN = "guardian@eastmere.example"


def _policy(context: PolicyContext) -> CaldicottPolicy:
    return load_caldicott(context.directory)


def _demo(demo: DemoContext) -> None:
    load_caldicott_demo(
        demo.session,
        demo.policies.caldicott,
        demo.actors["staff@eastmere.example"],
        demo.actors["ig.officer@eastmere.example"],
        (demo.users[GUARDIAN], demo.actors[GUARDIAN]),
        demo.password,
        demo.now,
    )


FEATURE: Feature = Feature(
    "caldicott",
    blueprint=bp,
    load_policy=_policy,
    reminder_sources={"caldicott.decision_review": decision_review},
    task_sources=(caldicott_tasks,),
    load_demo=_demo,
    # The demo's requests name the partner organisations the sharing demo adds.
    demo_after=("sharing",),
    integrity_checks={"Signed Caldicott decisions": verify_signed_decisions},
    report_sections=(caldicott_section,),
    feeds=(DECISIONS,),
)
