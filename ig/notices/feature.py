"""The privacy-notices feature: the register, versions and reviews."""

from __future__ import annotations

from ig.feature import DemoContext, Feature, PolicyContext
from ig.notices.demo import load_notices_demo
from ig.notices.feed import NOTICES
from ig.notices.figures import notices_section
from ig.notices.policy import NoticesPolicy, load_notices
from ig.notices.reminders import review_due
from ig.notices.views import bp

OFFICER = "ig.officer@eastmere.example"


def _policy(context: PolicyContext) -> NoticesPolicy:
    return load_notices(context.directory)


def _demo(demo: DemoContext) -> None:
    load_notices_demo(
        demo.session,
        demo.policies.notices,
        demo.actors[OFFICER],
        demo.users[OFFICER].id,
        demo.users["manager@eastmere.example"].id,
        demo.now,
    )


FEATURE: Feature = Feature(
    "notices",
    blueprint=bp,
    load_policy=_policy,
    reminder_sources={"notices.review": review_due},
    load_demo=_demo,
    report_sections=(notices_section,),
    feeds=(NOTICES,),
)
