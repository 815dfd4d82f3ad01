"""The features that make up ig, in the order the service shows them, and what they compose.

This is the one list: ``create_app`` registers each feature's pages from it, the
command line adds each feature's commands, the policies are loaded from each
feature's loader and the demo runs each feature's demo. A new feature is added here
and nowhere else above its own folder.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ig.access.feature import FEATURE as ACCESS
from ig.assets.feature import FEATURE as ASSETS
from ig.audit.feature import FEATURE as AUDIT
from ig.auth.feature import FEATURE as AUTH
from ig.auth.permissions import PERMISSIONS, SHOWS_CASE_DETAIL
from ig.caldicott.feature import FEATURE as CALDICOTT
from ig.contracts.feature import FEATURE as CONTRACTS
from ig.dpia.feature import FEATURE as DPIA
from ig.dspt.feature import FEATURE as DSPT
from ig.feature import (
    Feature,
    Feed,
    IntegrityCheck,
    PolicyContext,
    ReminderSource,
    ReportSection,
    TaskSource,
)
from ig.feeds.feature import FEATURE as FEEDS
from ig.home.feature import FEATURE as HOME
from ig.incidents.feature import FEATURE as INCIDENTS
from ig.notices.feature import FEATURE as NOTICES
from ig.people.feature import FEATURE as PEOPLE
from ig.policies import Policies, load_roles, load_security
from ig.processing.feature import FEATURE as PROCESSING
from ig.reminders.feature import FEATURE as REMINDERS
from ig.reports.feature import FEATURE as REPORTS
from ig.rights.feature import FEATURE as RIGHTS
from ig.risks.feature import FEATURE as RISKS
from ig.sharing.feature import FEATURE as SHARING
from ig.training.feature import FEATURE as TRAINING

FEATURES: tuple[Feature, ...] = (
    HOME,
    AUTH,
    AUDIT,
    PEOPLE,
    TRAINING,
    INCIDENTS,
    CALDICOTT,
    SHARING,
    NOTICES,
    DPIA,
    ASSETS,
    CONTRACTS,
    PROCESSING,
    ACCESS,
    RIGHTS,
    RISKS,
    REMINDERS,
    REPORTS,
    FEEDS,
    DSPT,  # last: it checks the pages and report figures its policy names
)


def reminder_sources() -> dict[str, ReminderSource]:
    """Every feature's reminder sources, by the name policies/reminders.toml uses."""
    return {name: source for f in FEATURES for name, source in f.reminder_sources.items()}


def task_sources() -> tuple[TaskSource, ...]:
    """Every feature's home-page task sources, in the order of the features."""
    return tuple(source for f in FEATURES for source in f.task_sources)


def report_sections() -> tuple[ReportSection, ...]:
    """Every feature's sections of the IG report, in the order of the features."""
    return tuple(section for f in FEATURES for section in f.report_sections)


def feeds() -> tuple[Feed, ...]:
    """Every feature's read-only feeds, in the order of the features."""
    return tuple(feed for f in FEATURES for feed in f.feeds)


def integrity_checks() -> Mapping[str, IntegrityCheck]:
    """Every feature's check of the records it seals, by the name reports give it."""
    return {name: check for f in FEATURES for name, check in f.integrity_checks.items()}


def load_policies(directory: Path) -> Policies:
    """Load and validate every policy file in ``directory``; PolicyError on the first fault."""
    roles = load_roles(directory, PERMISSIONS, SHOWS_CASE_DETAIL)
    context = PolicyContext(directory, roles, reminder_sources())
    return Policies(
        directory=directory,
        security=load_security(directory),
        roles=roles,
        parts={f.name: f.load_policy(context) for f in FEATURES if f.load_policy is not None},
    )


def in_demo_order() -> list[Feature]:
    """The features in list order, each moved after the features its demo builds on."""
    by_name = {feature.name: feature for feature in FEATURES}
    ordered: dict[str, Feature] = {}

    def place(feature: Feature) -> None:
        if feature.name not in ordered:
            for name in feature.demo_after:
                place(by_name[name])
            ordered[feature.name] = feature

    for feature in FEATURES:
        place(feature)
    return list(ordered.values())
