"""The demo's IG report: the SIRO's report for the quarter so far, across every register."""

from __future__ import annotations

from ig.db import london_today
from ig.feature import DemoContext
from ig.reports.policy import ReportsPolicy
from ig.reports.rules import quarter_containing
from ig.reports.service import generate_report


def load_reports_demo(demo: DemoContext) -> None:
    """Generate and keep the report for this quarter to date, as the SIRO would.

    The demo's records are all written today, so a past quarter "as recorded then" would
    be empty; the quarter to date shows every register's figures.
    """
    policy: ReportsPolicy = demo.policies.reports
    today = london_today(demo.now)
    start = quarter_containing(today, policy.year_starts_month).start
    generate_report(
        demo.session,
        demo.actors["siro@eastmere.example"],
        demo.policies,
        demo.report_sections,
        start,
        today,
        demo.now,
    )
