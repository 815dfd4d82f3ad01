"""The privacy-notice services: record, review, flag, list and export, with their audit."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import select

from ig.audit.models import AuditEntry
from ig.auth.rules import Actor
from ig.errors import EditConflict, PermissionDenied, ValidationFailed
from ig.notices import register, service
from ig.notices.export import notices_csv
from ig.notices.models import ReviewOutcome
from ig.notices.rules import ReviewState
from tests.factories import make_notice, make_user

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


def officer(db):
    user = make_user(db, roles=("ig_officer",))
    return Actor(
        user.id,
        user.email,
        frozenset({"ig_officer"}),
        frozenset({"notices.read", "notices.manage"}),
    )


def as_actor(user, *permissions):
    return Actor(user.id, user.email, user.role_names, frozenset(permissions))


def audit_actions(db, notice_id):
    return db.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.record_type == "privacy_notice", AuditEntry.record_id == str(notice_id))
        .order_by(AuditEntry.seq)
    ).all()


def test_create_records_the_first_version_and_the_review_date(db, policies):
    notice = make_notice(db, effective_on=dt.date(2026, 1, 31))
    assert notice.current_version == 1
    assert notice.next_review_on == dt.date(2027, 1, 31)
    assert notice.review_interval_months == policies.notices.review_interval_months
    assert [v.number for v in service.get_notice(db, notice.id).versions] == [1]
    assert audit_actions(db, notice.id) == ["notice.created"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", " "),
        ("service_key", "unknown"),
        ("owner_user_id", 999999),
        ("published_url", "eastmere.example/x"),
        ("text", ""),
        ("approved_by", " "),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(db, policies, field, value):
    before = db.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
    with pytest.raises(ValidationFailed) as failed:
        make_notice(db, **{field: value})
    assert failed.value.field == field
    assert db.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)) == before


def test_create_needs_notices_manage(db, policies):
    user = make_user(db, roles=("manager",))
    with pytest.raises(PermissionDenied):
        service.create_notice(
            db,
            as_actor(user, "notices.read"),
            policies.notices,
            service.NoticeInput(
                "t", "carers", user.id, "https://x.example", "public", "p", "t", TODAY, "DPO"
            ),
            NOW,
        )


def test_review_with_no_change_moves_the_next_review_and_clears_a_flag(db, policies):
    notice = make_notice(db)
    service.flag_notices_for_service(
        db, officer(db), "adult_social_care", "New agreement", now=NOW, policy=policies.notices
    )
    review = service.review_notice(
        db,
        officer(db),
        policies.notices,
        notice.id,
        service.ReviewInput(TODAY, ReviewOutcome.NO_CHANGE, ""),
        notice.version,
        NOW,
    )
    assert review.version_number == 1
    assert notice.last_reviewed_on == TODAY
    assert notice.next_review_on == dt.date(2027, 11, 22)
    assert notice.review_flagged_at is None
    assert notice.review_flag_reason == ""
    assert audit_actions(db, notice.id)[-1] == "notice.reviewed"


def test_review_with_an_update_keeps_every_version(db, policies):
    notice = make_notice(db)
    service.review_notice(
        db,
        officer(db),
        policies.notices,
        notice.id,
        service.ReviewInput(
            TODAY,
            ReviewOutcome.UPDATED,
            "Added the new partner",
            "New text",
            dt.date(2026, 12, 1),
            "SIRO",
        ),
        notice.version,
        NOW,
    )
    loaded = service.get_notice(db, notice.id)
    assert loaded.current_version == 2
    assert loaded.effective_on == dt.date(2026, 12, 1)
    assert [(v.number, v.change_summary) for v in loaded.versions] == [
        (2, "Added the new partner"),
        (1, ""),
    ]
    assert loaded.versions[1].text.startswith("We collect")
    assert loaded.reviews[0].outcome is ReviewOutcome.UPDATED


@pytest.mark.parametrize(
    ("review", "field"),
    [
        (
            service.ReviewInput(TODAY + dt.timedelta(days=1), ReviewOutcome.NO_CHANGE, ""),
            "reviewed_on",
        ),
        (service.ReviewInput(TODAY, ReviewOutcome.UPDATED, "", "t", TODAY, "x"), "summary"),
        (service.ReviewInput(TODAY, ReviewOutcome.UPDATED, "s", "", TODAY, "x"), "text"),
        (service.ReviewInput(TODAY, ReviewOutcome.UPDATED, "s", "t", None, "x"), "effective_on"),
        (service.ReviewInput(TODAY, ReviewOutcome.UPDATED, "s", "t", TODAY, ""), "approved_by"),
    ],
)
def test_review_refuses_bad_input_and_changes_nothing(db, policies, review, field):
    notice = make_notice(db)
    with pytest.raises(ValidationFailed) as failed:
        service.review_notice(
            db, officer(db), policies.notices, notice.id, review, notice.version, NOW
        )
    assert failed.value.field == field
    assert notice.current_version == 1
    assert notice.last_reviewed_on is None
    assert audit_actions(db, notice.id) == ["notice.created"]


def test_the_owner_may_review_their_own_notice_but_not_another(db, policies):
    owner = make_user(db, roles=("manager",))
    notice = make_notice(db, owner=owner)
    other = make_notice(db)
    review = service.ReviewInput(TODAY, ReviewOutcome.NO_CHANGE, "")
    service.review_notice(
        db,
        as_actor(owner, "notices.read"),
        policies.notices,
        notice.id,
        review,
        notice.version,
        NOW,
    )
    with pytest.raises(PermissionDenied):
        service.review_notice(
            db,
            as_actor(owner, "notices.read"),
            policies.notices,
            other.id,
            review,
            other.version,
            NOW,
        )


def test_a_stale_form_gets_an_edit_conflict(db, policies):
    notice = make_notice(db)
    with pytest.raises(EditConflict):
        service.review_notice(
            db,
            officer(db),
            policies.notices,
            notice.id,
            service.ReviewInput(TODAY, ReviewOutcome.NO_CHANGE, ""),
            notice.version + 1,
            NOW,
        )


def test_flagging_a_service_brings_its_notices_reviews_forward(db, policies):
    flagged = make_notice(db, service_key="carers")
    untouched = make_notice(db, service_key="housing")
    count = service.flag_notices_for_service(
        db,
        officer(db),
        "carers",
        "Agreement with Eastmere Carers Trust",
        now=NOW,
        policy=policies.notices,
    )
    assert count == 1
    assert flagged.review_flagged_at == NOW
    assert flagged.next_review_on == TODAY + dt.timedelta(days=30)
    assert untouched.review_flagged_at is None
    assert audit_actions(db, flagged.id)[-1] == "notice.flagged_for_review"


def test_flagging_without_the_policy_uses_the_default_window(db):
    notice = make_notice(db, service_key="education")
    service.flag_notices_for_service(db, officer(db), "education", "New agreement", now=NOW)
    assert notice.next_review_on == TODAY + dt.timedelta(days=service.DEFAULT_FLAGGED_REVIEW_DAYS)


def test_list_filters_by_service_owner_and_state(db, policies):
    owner = make_user(db, roles=("manager",))
    overdue = make_notice(db, owner=owner, effective_on=dt.date(2025, 10, 1))
    soon = make_notice(db, service_key="carers", effective_on=dt.date(2025, 12, 10))
    fine = make_notice(db, service_key="carers", effective_on=dt.date(2026, 6, 1))

    def ids(**kwargs):
        page = register.list_notices(db, policies.notices, register.NoticeFilter(**kwargs), TODAY)
        return {n.id for n in page.rows} & {overdue.id, soon.id, fine.id}

    assert ids() == {overdue.id, soon.id, fine.id}
    assert ids(service_key="carers") == {soon.id, fine.id}
    assert ids(owner_user_id=owner.id) == {overdue.id}
    assert ids(state=ReviewState.OVERDUE) == {overdue.id}
    assert ids(state=ReviewState.DUE_SOON) == {soon.id}
    assert ids(state=ReviewState.UP_TO_DATE) == {fine.id}


def test_csv_export_neutralises_formulas(db, policies):
    notice = make_notice(db, title='=HYPERLINK("http://evil")', approved_by="+DPO")
    text = notices_csv([notice], policies.notices, TODAY)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "id"
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    assert rows[1][8] == "'+DPO"
    assert rows[1][2] == "Adult social care"
