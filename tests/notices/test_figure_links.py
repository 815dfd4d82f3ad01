"""The privacy-notices section's linked figure lists exactly the notices it counts."""

from __future__ import annotations

import datetime as dt

from ig.feature import ReportPeriod
from ig.notices.figures import notices_section
from tests import factories
from tests.figure_links import check_links

PERIOD = ReportPeriod(dt.date(2026, 4, 1), dt.date(2026, 6, 30), None)


def test_the_notices_in_the_register_link_to_those_in_effect_at_the_period_end(
    app, client, db, login_as, policies
):
    factories.make_notice(db, effective_on=dt.date(2025, 1, 10))
    factories.make_notice(db, effective_on=dt.date(2026, 6, 30), service_key="housing")
    factories.make_notice(db, effective_on=dt.date(2026, 7, 1))  # after the period
    section = notices_section(db, policies, PERIOD)
    assert {f.key: f.value for f in section.figures}["notices.total"] == 2
    assert check_links(client, login_as, policies, section) == ["notices.total"]
