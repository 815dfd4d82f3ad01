"""The processor contract feature (UK GDPR Art. 28): the register, its terms and flags."""

from __future__ import annotations

from ig.contracts import api  # noqa: F401 - its endpoints join the API blueprint
from ig.contracts.demo import load_contracts_demo
from ig.contracts.feed import CONTRACTS
from ig.contracts.figures import contracts_section
from ig.contracts.policy import ContractsPolicy, load_contracts
from ig.contracts.reminders import contract_ending, missing_terms
from ig.contracts.tasks import contract_tasks
from ig.contracts.views import bp
from ig.feature import DemoContext, Feature, PolicyContext


def _policy(context: PolicyContext) -> ContractsPolicy:
    return load_contracts(context.directory)


def _demo(demo: DemoContext) -> None:
    load_contracts_demo(
        demo.session,
        demo.policies.contracts,
        demo.actors,
        {email: user.id for email, user in demo.users.items()},
        demo.now,
    )


FEATURE: Feature = Feature(
    "contracts",
    blueprint=bp,
    load_policy=_policy,
    reminder_sources={
        "contracts.ending": contract_ending,
        "contracts.missing_terms": missing_terms,
    },
    task_sources=(contract_tasks,),
    demo_after=("assets",),
    load_demo=_demo,
    report_sections=(contracts_section,),
    feeds=(CONTRACTS,),
)
