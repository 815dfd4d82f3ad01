"""The DSPT evidence page: each toolkit evidence item with its figures for the financial
year to date and the lists behind them, printable for the annual submission."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template

from ig.auth.access import current_actor, permission_of, requires
from ig.db import get_session, london_today, utcnow
from ig.dspt.evidence import financial_year_to_date, gather_evidence
from ig.dspt.presenter import show_items

bp = Blueprint("dspt", __name__)
# The IG team's, the SIRO's and the auditors' permission to see organisation-wide
# training compliance "and the DSPT evidence" (ig/auth/permissions.py).
READ = "training.view_all"


@bp.get("/dspt")
@requires(READ)
def index() -> Any:
    policies = current_app.extensions["ig.policies"]
    period = financial_year_to_date(london_today())
    sections = current_app.extensions["ig.report_sections"]
    evidence = gather_evidence(get_session(), policies, sections, period)
    actor = current_actor()
    items = show_items(
        evidence,
        lambda permission: permission is not None and actor.can(permission),
        lambda endpoint: permission_of(current_app, endpoint),
    )
    return render_template(
        "dspt/index.html",
        items=items,
        period=period,
        version=policies.dspt.version,
        prepared_at=utcnow(),
    )
