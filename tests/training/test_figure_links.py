"""The training section's overdue figure lists exactly its (person, course) pairs, on the
report's basis; its percentages link to the organisation's training page on the period's
last day, which shows them with their counts."""

from __future__ import annotations

import datetime as dt

from ig.audit.recorded import day_end
from ig.feature import ReportPeriod
from ig.training.report_figures import training_section
from tests.factories import make_completion
from tests.figure_links import check_links, link_of, linked


def test_each_figure_links_and_the_overdue_lists_exactly_its_pairs(
    db, policies, org, client, login_as
):
    today = dt.date.today()  # noqa: DTZ011 - the org fixture's completions are dated from today
    end = today - dt.timedelta(days=1)
    # Bob's data security course, done before the period's end but recorded only today.
    make_completion(
        db, org.bob, "DSA", end - dt.timedelta(days=5), recorded_at=dt.datetime.now(dt.UTC)
    )
    db.commit()
    start = end - dt.timedelta(days=30)
    then = training_section(db, policies, ReportPeriod(start, end, day_end(end)))
    known = training_section(db, policies, ReportPeriod(start, end, None))
    overdue = [{f.key: f.value for f in s.figures}["training.overdue"] for s in (then, known)]
    assert overdue[0] == overdue[1] + 1 > 1  # Bob's course counts only as now known

    def committed_login(*roles: str) -> None:
        login_as(*roles)
        db.commit()  # as the org fixture's: a request's rollback must not sign them out

    for section in (then, known):
        assert set(linked(section)) == {f.key for f in section.figures}
        assert "training.overdue" in check_links(client, committed_login, policies, section)

    compliance = {f.key: f for f in then.figures}["training.compliance"]
    page = client.get(link_of(client, compliance)).get_data(as_text=True)
    assert f"{compliance.value}%" in page
