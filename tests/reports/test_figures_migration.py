"""reports_0002: reports stored before the figures table get their figures as rows."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from ig.migrations import downgrade, upgrade
from tests.incidents.test_not_notifying_migration import raw
from tests.test_migrations import scratch_engine  # noqa: F401 - the fixture

pytestmark = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index"
)
FIGURE = {"key": "incidents.reported", "label": "Reported", "group": "", "value": 3.0,
          "unit": "count", "target": None}  # fmt: skip
CONTENT = {
    "then": [{"key": "incidents", "figures": [FIGURE]}],
    "now": [{"key": "incidents", "figures": [{**FIGURE, "value": 4.0}]}],
    "trend": {},
}


def test_stored_reports_figures_become_rows(scratch_engine):  # noqa: F811
    upgrade(scratch_engine)
    downgrade(scratch_engine, "reports_0001")
    with scratch_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO ig_reports (id, title, period_start, period_end, recorded_by,"
                " generated_at, generated_by_label, content, policy_versions) VALUES (7, 'Q1',"
                " '2025-04-01', '2025-06-30', '2025-06-30 23:00:00+00:00',"
                " '2025-07-10 09:00:00+00:00', 'siro', :content, '{}')"
            ),
            {"content": json.dumps(CONTENT)},
        )
    upgrade(scratch_engine)
    rows = raw(
        scratch_engine,
        "SELECT report_id, basis, section, key, value FROM ig_report_figures ORDER BY basis",
    )
    assert rows == [
        (7, "now", "incidents", "incidents.reported", 4.0),
        (7, "then", "incidents", "incidents.reported", 3.0),
    ]
