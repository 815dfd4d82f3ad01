"""Each figure of the privacy-notices section links to exactly the notices it counts."""

from __future__ import annotations

import datetime as dt

from ig.feature import ReportPeriod
from ig.notices.figures import notices_section
from ig.notices.models import NoticeReview, ReviewOutcome
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
    assert "notices.total" in check_links(client, login_as, policies, section)


def _notice(db, effective_on: dt.date, *reviewed: dt.date, interval: int = 12) -> None:
    notice = factories.make_notice(db, effective_on=effective_on)
    notice.review_interval_months = interval
    for day in reviewed:
        recorded_at = dt.datetime.combine(day, dt.time(9), dt.UTC)
        db.add(
            NoticeReview(
                notice_id=notice.id, reviewed_on=day, reviewer_label="owner",
                outcome=ReviewOutcome.NO_CHANGE, version_number=1, recorded_at=recorded_at,
            )
        )  # fmt: skip
    db.flush()


def test_reviews_on_time_late_and_overdue_link_to_their_notices(
    app, client, db, login_as, policies
):
    _notice(db, dt.date(2025, 4, 15), dt.date(2026, 4, 10))  # on time
    # Due on 30 April, three months after 31 January (not 1 May): late.
    _notice(db, dt.date(2026, 1, 31), dt.date(2026, 5, 1), interval=3)
    # Late, then reviewed again a month later: on time, due a year after the review before.
    _notice(db, dt.date(2025, 1, 10), dt.date(2026, 5, 1), dt.date(2026, 6, 1))
    _notice(db, dt.date(2025, 2, 1))  # never reviewed: overdue since 1 February
    _notice(db, dt.date(2025, 3, 1), dt.date(2026, 7, 5))  # reviewed after the period: overdue
    # Reviewed twice on time in the period: one notice, counted once as the list shows it.
    _notice(db, dt.date(2026, 2, 10), dt.date(2026, 4, 2), dt.date(2026, 6, 2), interval=2)

    section = notices_section(db, policies, PERIOD)
    values = {figure.key: figure.value for figure in section.figures}
    assert values == {
        "notices.total": 6,
        "notices.reviewed_on_time": 3,
        "notices.reviewed_late": 2,
        "notices.overdue": 2,
    }
    checked = check_links(client, login_as, policies, section)
    assert set(checked) == set(values)
