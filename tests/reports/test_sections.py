"""The Caldicott, sharing and privacy-notice sections of the IG report, on a few records."""

from __future__ import annotations

import datetime as dt

from ig.caldicott.figures import caldicott_section
from ig.feature import ReportPeriod
from ig.notices.figures import notices_section
from ig.notices.models import NoticeReview, ReviewOutcome
from ig.sharing.figures import sharing_section
from tests import factories

# April to June 2026, as now known; and as recorded by 1 January 2026, before any record.
NOW_KNOWN = ReportPeriod(dt.date(2026, 4, 1), dt.date(2026, 6, 30), None)
EARLY = ReportPeriod(
    dt.date(2026, 4, 1), dt.date(2026, 6, 30), dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
)


def _values(section):
    return {figure.key: figure.value for figure in section.figures}


def test_sharing_counts_agreements_in_force_awaiting_and_partners_left_out(db, policies):
    owner, partner, other, alone = (factories.make_organisation(db) for _ in range(4))
    factories.make_sharing_agreement(db, policies.sharing, owner, [partner])
    factories.make_sharing_agreement(db, policies.sharing, owner, [other], signed=1)
    found = _values(sharing_section(db, policies, NOW_KNOWN))
    assert found["sharing.in_force"] == 1
    assert found["sharing.awaiting_signatures"] == 1
    assert found["sharing.partners_not_signed_up"] == 2  # ``other`` has not signed; ``alone``
    # Recorded only since: none of it counts "as recorded" by an earlier instant.
    early = _values(sharing_section(db, policies, EARLY))
    assert early["sharing.in_force"] == early["sharing.awaiting_signatures"] == 0
    assert alone.id


def test_caldicott_counts_requests_received_and_awaiting_a_decision(db, policies):
    raiser = factories.make_user(db)
    factories.make_caldicott_request(db, raiser, now=dt.datetime(2026, 5, 4, 10, tzinfo=dt.UTC))
    found = _values(caldicott_section(db, policies, NOW_KNOWN))
    assert found["caldicott.received"] == 1
    assert found["caldicott.awaiting"] == 1
    assert found["caldicott.decided"] == 0
    assert found["caldicott.days_to_decision"] is None
    assert _values(caldicott_section(db, policies, EARLY))["caldicott.received"] == 0


def test_notices_count_reviews_on_time_late_and_overdue(db, policies):
    late = factories.make_notice(db, effective_on=dt.date(2025, 1, 10))
    factories.make_notice(db, effective_on=dt.date(2025, 2, 1), service_key="housing")
    db.add(
        NoticeReview(
            notice_id=late.id,
            reviewed_on=dt.date(2026, 5, 1),
            reviewer_label="owner",
            outcome=ReviewOutcome.NO_CHANGE,
            version_number=1,
            recorded_at=dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC),
        )
    )
    db.flush()
    found = _values(notices_section(db, policies, NOW_KNOWN))
    assert found["notices.total"] == 2
    assert found["notices.reviewed_late"] == 1  # due 10 January 2026
    assert found["notices.reviewed_on_time"] == 0
    assert found["notices.overdue"] == 1  # the other, due 1 February 2026


def test_every_section_of_mine_has_the_shape_and_a_fixed_number_of_queries(db, policies, engine):
    from ig.incidents.figures import incidents_section
    from ig.training.report_figures import training_section
    from tests.queries import counting
    from tests.section_checks import check_shape

    for section in (incidents_section, caldicott_section, sharing_section, notices_section):
        check_shape(section(db, policies, NOW_KNOWN))
        with counting(engine, selects_only=True) as few:
            section(db, policies, NOW_KNOWN)
        team = factories.make_team(db)
        for _ in range(3):
            factories.make_notice(db, effective_on=dt.date(2025, 1, 10))
            factories.make_caldicott_request(db, factories.make_user(db))
            factories.make_staff(db, team=team)
        with counting(engine, selects_only=True) as many:
            section(db, policies, NOW_KNOWN)
        assert 1 <= len(many) <= len(few) <= 12, section.__name__
    check_shape(training_section(db, policies, NOW_KNOWN))
