"""The record of processing activities (UK GDPR Art. 30): controller and processor records."""

from __future__ import annotations

from ig.feature import DemoContext, Feature, PolicyContext
from ig.processing import api  # noqa: F401 - its endpoints join the API blueprint
from ig.processing.demo import load_processing_demo
from ig.processing.feed import ACTIVITIES
from ig.processing.policy import ProcessingPolicy, load_processing
from ig.processing.views import bp


def _policy(context: PolicyContext) -> ProcessingPolicy:
    return load_processing(context.directory)


def _demo(demo: DemoContext) -> None:
    load_processing_demo(
        demo.session,
        demo.policies.processing,
        demo.actors,
        {email: user.id for email, user in demo.users.items()},
        demo.now,
    )


FEATURE: Feature = Feature(
    "processing",
    blueprint=bp,
    load_policy=_policy,
    demo_after=("sharing", "assets"),
    load_demo=_demo,
    feeds=(ACTIVITIES,),
)
