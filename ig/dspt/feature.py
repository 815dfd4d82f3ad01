"""The DSPT evidence feature: policies/dspt.toml and the page the DPO takes into the
annual Data Security and Protection Toolkit submission."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask.blueprints import BlueprintSetupState
from flask.sansio.app import App
from werkzeug.routing import BuildError

from ig.dspt.evidence import figure_keys_offered
from ig.dspt.policy import DsptPolicy, check_references, load_dspt
from ig.dspt.views import bp
from ig.feature import Feature, PolicyContext


def _policy(context: PolicyContext) -> DsptPolicy:
    return load_dspt(context.directory)


def _page_problem(app: App) -> Callable[[str, Mapping[str, str]], str | None]:
    """Why a list's page cannot be linked: not a page of ig, or arguments missing."""
    adapter = app.url_map.bind("localhost")

    def problem(endpoint: str, args: Mapping[str, str]) -> str | None:
        if endpoint not in app.view_functions:
            return f"ig has no page {endpoint!r}"
        try:
            adapter.build(endpoint, dict(args))
        except BuildError:
            return f"the page {endpoint!r} needs more than the arguments given"
        return None

    return problem


def _check_references(state: BlueprintSetupState) -> None:
    """Once the pages are registered (this feature is last in ig/features.py, so every
    other feature's are), the figures and pages the file names must exist."""
    app = state.app
    policies = app.extensions["ig.policies"]
    offered = figure_keys_offered(tuple(app.extensions["ig.report_sections"]), policies)
    check_references(policies.dspt, offered, _page_problem(app))


bp.record_once(_check_references)

FEATURE: Feature = Feature("dspt", blueprint=bp, load_policy=_policy)
