"""The training section's figures link to the organisation's training page on the period's
last day, which shows them with their counts."""

from __future__ import annotations

import datetime as dt
import re

from ig.audit.recorded import day_end
from ig.feature import ReportPeriod
from ig.training.report_figures import training_section
from tests.figure_links import link_of, linked, role_holding


def test_the_linked_page_shows_the_figures_counts(db, policies, org, client, login_as):
    today = dt.date.today()  # noqa: DTZ011 - the org fixture's completions are dated from today
    period = ReportPeriod(today - dt.timedelta(days=30), today, day_end(today))
    section = training_section(db, policies, period)
    found = {f.key: f for f in section.figures}
    assert set(linked(section)) == set(found)
    assert found["training.overdue"].value > 0  # Bob's and Carol's courses

    login_as(role_holding(policies, found["training.overdue"].permission))
    page = client.get(link_of(client, found["training.overdue"])).get_data(as_text=True)
    every = re.search(r">All courses</th>((?:\s*<td[^>]*>[^<]*</td>){3})", page)
    assert every, "the courses table's total row"
    cells = re.findall(r">([^<]*)</td>", every.group(1))
    assert int(cells[2]) == found["training.overdue"].value
    assert f"{found['training.compliance'].value}%" in page
