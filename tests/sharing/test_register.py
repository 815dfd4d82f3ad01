"""The register: state in SQL equals the rule, filters, sorting, CSV, calendar, deadlines."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools

from sqlalchemy import select

from ig.sharing import lifecycle, register, service
from ig.sharing.models import Agreement
from ig.sharing.rules import AgreementState
from tests import factories
from tests.sharing.conftest import OFFICER, TODAY

DAY = dt.timedelta(days=1)


def test_the_sql_state_is_the_rule_for_every_mix_of_facts(db, policy, own, camden):
    made = []
    starts = (TODAY - 400 * DAY, TODAY - 10 * DAY, TODAY + 5 * DAY)
    for n, (start, signed) in enumerate(itertools.product(starts, (0, 1, None))):
        made.append(
            factories.make_sharing_agreement(
                db,
                policy,
                own,
                [camden],
                signed=signed,
                starts_on=start,
                review_on=start + (n * 37 % 200) * DAY,
                ends_on=start + (300 + n * 11) * DAY,
            )
        )
    lifecycle.terminate_agreement(db, OFFICER, made[2], TODAY, "Ended", TODAY)
    for today in (TODAY - 30 * DAY, TODAY, TODAY + 90 * DAY, TODAY + 400 * DAY):
        for notice in (0, 60):
            rows = db.execute(select(Agreement, register.state_sql(today, notice))).all()
            for agreement, sql_state in rows:
                assert sql_state == service.state_of(agreement, today, notice).value


def test_the_register_filters_by_state_partner_basis_and_dates(db, policy, own, camden, islington):
    active = factories.make_sharing_agreement(db, policy, own, [camden], starts_on=TODAY - 10 * DAY)
    draft = factories.make_sharing_agreement(
        db, policy, own, [islington], signed=0, lawful_basis="art6_1c", starts_on=TODAY
    )

    def refs(**filters):
        page = register.list_agreements(db, register.RegisterFilter(**filters), TODAY, 60)
        return [row.agreement.id for row in page.rows]

    assert refs(state=AgreementState.ACTIVE) == [active.id]
    assert refs(state=AgreementState.DRAFT) == [draft.id]
    assert refs(organisation_id=islington.id) == [draft.id]
    assert refs(lawful_basis="art6_1c") == [draft.id]
    assert refs(review_to=active.review_on) == [active.id]
    assert refs(end_from=draft.ends_on) == [draft.id]
    assert refs(search=draft.reference.lower()) == [draft.id]
    assert refs(search="100%_") == []


def test_the_register_sorts_and_pages(db, policy, own):
    made = [
        factories.make_sharing_agreement(db, policy, own, title=title) for title in ("B", "C", "A")
    ]
    page = register.list_agreements(
        db, register.RegisterFilter(), TODAY, 60, sort="title", descending=True, per_page=2
    )
    assert [r.agreement.title for r in page.rows] == ["C", "B"]
    assert (page.total, page.pages) == (3, 2)
    second = register.list_agreements(
        db, register.RegisterFilter(), TODAY, 60, sort="title", page=2, per_page=2
    )
    assert [r.agreement.title for r in second.rows] == ["C"]
    unknown = register.list_agreements(db, register.RegisterFilter(), TODAY, 60, sort="x; drop")
    assert [r.agreement.id for r in unknown.rows] == [a.id for a in made]


def test_the_csv_export_is_safe_from_formulas(db, policy, own, camden):
    factories.make_sharing_agreement(db, policy, own, [camden], title='=HYPERLINK("x")')
    text = "".join(register.export_csv(db, register.RegisterFilter(), TODAY, 60))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["reference", "version", "title"]
    assert rows[1][2] == '\'=HYPERLINK("x")'
    assert rows[1][4] == "Eastmere Council; Camden"
    assert rows[1][5] == "Active"


def test_deadlines_leave_out_terminated_and_replaced_versions(db, policy, own, camden):
    kept = factories.make_sharing_agreement(db, policy, own, [camden], starts_on=TODAY)
    ended = factories.make_sharing_agreement(db, policy, own, [camden], starts_on=TODAY)
    lifecycle.terminate_agreement(db, OFFICER, ended, TODAY, "Ended", TODAY)
    old = factories.make_sharing_agreement(db, policy, own, [camden], starts_on=TODAY)
    lifecycle.renew_agreement(db, OFFICER, old, TODAY + 800 * DAY, TODAY + 900 * DAY, None)
    deadlines = service.list_agreement_deadlines(db, TODAY, TODAY + 800 * DAY)
    assert [(d.agreement_id, d.kind) for d in deadlines] == [
        (kept.id, "review"),
        (kept.id, "end"),
    ]
    assert deadlines[0].due_on == kept.review_on
    ends = service.list_agreement_deadlines(db, TODAY, TODAY + 800 * DAY, kinds=("end",))
    assert [(d.agreement_id, d.kind, d.due_on) for d in ends] == [(kept.id, "end", kept.ends_on)]


def test_the_calendar_counts_open_agreements_per_month(db, policy, own, camden):
    kept = factories.make_sharing_agreement(db, policy, own, [camden], starts_on=TODAY)
    ended = factories.make_sharing_agreement(db, policy, own, [camden], starts_on=TODAY)
    lifecycle.terminate_agreement(db, OFFICER, ended, TODAY, "Ended", TODAY)
    months = register.calendar(db, TODAY)
    assert len(months) == 12
    assert (months[0].first_day, months[0].last_day) == (TODAY, dt.date(2026, 6, 30))
    assert months[1].first_day == dt.date(2026, 7, 1)
    assert months[-1].last_day == dt.date(2027, 5, 31)
    assert [m.reviews for m in months] == [0] * 10 + [1, 0]  # kept.review_on is in April
    assert months[10].first_day == kept.review_on.replace(day=1)
    assert sum(m.endings for m in months) == 0
    open_reviews = register.list_agreements(
        db,
        register.RegisterFilter(
            review_from=months[10].first_day, review_to=months[10].last_day, open_only=True
        ),
        TODAY,
        60,
    )
    assert [r.agreement.id for r in open_reviews.rows] == [kept.id]


def test_the_partner_view_counts_and_lists_what_is_shared(db, policy, own, camden):
    factories.make_sharing_agreement(db, policy, own, [camden], starts_on=TODAY - DAY)
    factories.make_sharing_agreement(
        db, policy, own, [camden], signed=0, categories=("housing",), starts_on=TODAY
    )
    counts = register.state_counts(db, camden.id, TODAY, 60)
    assert counts[AgreementState.ACTIVE] == 1
    assert counts[AgreementState.DRAFT] == 1
    assert register.categories_in_force(db, camden.id, TODAY, 60) == ["care_records", "identity"]
