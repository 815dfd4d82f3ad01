"""An agreement for a council service flags that service's privacy notices for review."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from ig.audit.models import AuditEntry
from ig.db import utcnow
from ig.errors import ValidationFailed
from ig.notices.models import PrivacyNotice
from ig.sharing import agreements
from ig.sharing.models import Agreement
from tests import factories
from tests.sharing.conftest import OFFICER, TODAY, actions
from tests.sharing.test_agreements import new_input
from tests.sharing.test_views import agreement_form


@pytest.fixture
def notices(policies):
    return policies.notices


def make_notice(db, service_key: str) -> PrivacyNotice:
    # Effective today, so the next scheduled review is a year away and a flag brings it forward.
    return factories.make_notice(
        db, service_key=service_key, title=f"{service_key} notice", effective_on=utcnow().date()
    )


def flags(db) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.action == "notice.flagged_for_review")
    return list(db.scalars(query.order_by(AuditEntry.seq)))


def test_an_agreement_for_a_service_flags_that_services_notices(db, policy, notices, own):
    care = make_notice(db, "adult_social_care")
    housing = make_notice(db, "housing")
    scheduled = care.next_review_on
    agreement = agreements.create_agreement(
        db, OFFICER, policy, new_input(own, service_key="adult_social_care"), notices=notices
    )
    assert agreement.service_key == "adult_social_care"
    assert care.review_flagged_at is not None
    assert care.review_flag_reason == "New data-sharing agreement DSA-2026-001"
    assert care.next_review_on < scheduled
    assert care.next_review_on <= utcnow().date() + dt.timedelta(days=notices.flagged_review_days)
    assert [entry.record_id for entry in flags(db)] == [str(care.id)]
    assert housing.review_flagged_at is None
    assert housing.review_flag_reason == ""


def test_an_agreement_tied_to_no_service_flags_nothing(db, policy, notices, own):
    care = make_notice(db, "adult_social_care")
    agreement = agreements.create_agreement(db, OFFICER, policy, new_input(own), notices=notices)
    assert agreement.service_key is None
    assert care.review_flagged_at is None
    assert flags(db) == []


@pytest.mark.parametrize("give_policy", [True, False])
def test_an_unknown_service_is_refused_and_nothing_is_written(
    db, policy, notices, own, give_policy
):
    care = make_notice(db, "adult_social_care")
    with pytest.raises(ValidationFailed) as refused:
        agreements.create_agreement(
            db,
            OFFICER,
            policy,
            new_input(own, service_key="parking" if give_policy else "housing"),
            notices=notices if give_policy else None,
        )
    assert (refused.value.field, refused.value.message) == (
        "service_key",
        "Choose a service from the list",
    )
    assert db.scalar(select(func.count(Agreement.id))) == 0
    assert actions(db, "agreement") == []
    assert flags(db) == []
    assert care.review_flagged_at is None


def test_an_update_flags_only_a_service_the_agreement_did_not_have(db, policy, notices, own):
    care = make_notice(db, "adult_social_care")
    housing = make_notice(db, "housing")
    agreement = agreements.create_agreement(db, OFFICER, policy, new_input(own), notices=notices)

    def update(service_key: str | None) -> None:
        data = new_input(own, service_key=service_key, title="Discharge to assess, revised")
        agreements.update_agreement(
            db, OFFICER, policy, agreement, data, agreement.version, TODAY, notices=notices
        )

    update("housing")
    assert housing.review_flagged_at is not None
    assert len(flags(db)) == 1
    update("housing")  # unchanged: already flagged when it was set
    assert len(flags(db)) == 1
    update(None)
    assert len(flags(db)) == 1
    assert care.review_flagged_at is None


def test_the_service_is_not_part_of_what_the_parties_sign(db, policy, notices, own):
    agreement = agreements.create_agreement(db, OFFICER, policy, new_input(own), notices=notices)
    digest = agreement.content_digest
    agreements.update_agreement(
        db,
        OFFICER,
        policy,
        agreement,
        new_input(own, service_key="housing"),
        agreement.version,
        TODAY,
        notices=notices,
    )
    assert agreement.content_digest == digest


def test_the_form_offers_the_services_and_the_page_shows_the_one_chosen(
    client, login_as, db, policies
):
    factories.make_organisation(db, "local_authority", "E09000007", "Camden")
    care = make_notice(db, "adult_social_care")
    login_as("ig_officer")
    db.commit()  # requests close the session: keep the set-up
    form = client.get("/sharing/agreements/new")
    assert b"Service whose data is shared" in form.data
    assert b"Not tied to one service" in form.data
    assert b"Adult social care" in form.data
    response = client.post(
        "/sharing/agreements/new", data=agreement_form(service_key="adult_social_care")
    )
    assert response.status_code == 302, response.data
    page = client.get(response.headers["Location"])
    assert b"Service whose data is shared" in page.data
    assert b"Adult social care" in page.data
    db.expire_all()
    assert db.get(PrivacyNotice, care.id).review_flagged_at is not None


def test_an_unknown_service_gets_the_error_summary_and_nothing_is_saved(
    client, login_as, db, policies
):
    factories.make_organisation(db, "local_authority", "E09000007", "Camden")
    login_as("ig_officer")
    db.commit()  # requests close the session: keep the set-up
    response = client.post("/sharing/agreements/new", data=agreement_form(service_key="parking"))
    assert response.status_code == 422
    assert b"govuk-error-summary" in response.data
    assert b"Choose a service from the list" in response.data
    assert db.scalar(select(Agreement.id)) is None
