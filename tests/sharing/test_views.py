"""Register, agreement and partner pages: anonymous, wrong role, happy path, bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from ig.db import london_today
from ig.sharing.models import Agreement
from tests import factories
from tests.queries import statements_for_get

DAY = dt.timedelta(days=1)


def date_fields(name: str, value: dt.date) -> dict[str, list[str]]:
    return {name: [str(value.day), str(value.month), str(value.year)]}


def agreement_form(reference: str = "DSA-VIEW-1", **changes: object) -> dict[str, object]:
    start = london_today()
    data: dict[str, object] = {
        "reference": reference,
        "title": "Discharge to assess",
        "owner": "E09000007",
        "purpose": "Getting people home from hospital",
        "purposes": ["hospital_discharge"],
        "categories": ["identity", "care_records"],
        "lawful_basis": "art6_1e",
        "special_condition": "",
        "statutory_gateway": "care_act_2014",
        "dpia_outcome": "",
        **date_fields("starts_on", start),
        **date_fields("review_on", start + 300 * DAY),
        **date_fields("ends_on", start + 700 * DAY),
    }
    data.update(changes)
    return data


@pytest.fixture
def camden(db):
    return factories.make_organisation(db, "local_authority", "E09000007", "Camden")


@pytest.mark.parametrize(
    "url", ["/sharing/", "/sharing/calendar", "/sharing/register.csv", "/sharing/organisations/"]
)
def test_pages_need_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/sharing/"),
        ("get", "/sharing/register.csv"),
        ("get", "/sharing/calendar"),
        ("get", "/sharing/agreements/new"),
        ("post", "/sharing/agreements/new"),
        ("get", "/sharing/organisations/new"),
        ("post", "/sharing/organisations/load"),
    ],
)
def test_staff_cannot_see_or_change_the_register(client, login_as, db, method, url):
    login_as("staff")
    db.commit()  # requests close the session: keep the set-up
    assert getattr(client, method)(url).status_code == 403


def test_an_auditor_reads_but_cannot_draft(client, login_as, db):
    login_as("auditor")
    db.commit()  # requests close the session: keep the set-up
    assert client.get("/sharing/").status_code == 200
    assert client.post("/sharing/agreements/new", data=agreement_form()).status_code == 403


def test_the_ig_officer_drafts_an_agreement(client, login_as, db, camden):
    login_as("ig_officer")
    db.commit()  # requests close the session: keep the set-up
    response = client.post("/sharing/agreements/new", data=agreement_form())
    assert response.status_code == 302, response.data
    agreement = db.scalar(select(Agreement).where(Agreement.reference == "DSA-VIEW-1"))
    assert agreement.owner_id == camden.id
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert b"Discharge to assess" in page.data
    assert b"Draft" in page.data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"review_on": ["1", "1", "2020"]}, b"The review date must be on or after the start date"),
        ({"owner": "E09000099"}, b"No organisation has the code or name E09000099"),
        ({"categories": ["identity", "health"]}, b"special category or criminal offence data"),
        ({"reference": ""}, b"Enter a reference"),
    ],
)
def test_bad_terms_are_shown_beside_the_field_and_nothing_is_saved(
    client, login_as, db, camden, changes, message
):
    login_as("ig_officer")
    db.commit()  # requests close the session: keep the set-up
    response = client.post("/sharing/agreements/new", data=agreement_form(**changes))
    assert response.status_code == 422
    assert message in response.data
    assert b"govuk-error-summary" in response.data
    assert db.scalar(select(Agreement.id)) is None


def test_a_form_without_its_csrf_token_is_refused(client, login_as, db, camden):
    login_as("ig_officer")
    db.commit()  # requests close the session: keep the set-up
    response = client.post("/sharing/agreements/new", data=agreement_form(), csrf=False)
    assert response.status_code in (400, 422)
    assert db.scalar(select(Agreement.id)) is None


def test_parties_are_added_and_signatures_recorded(client, login_as, db, policies, camden):
    own = factories.make_organisation(db, name="Eastmere", is_self=True)
    islington = factories.make_organisation(db, "local_authority", "E09000019", "Islington")
    agreement = factories.make_sharing_agreement(db, policies.sharing, own, [], signed=0)
    login_as("ig_officer")
    db.commit()  # requests close the session: keep the set-up
    url = f"/sharing/agreements/{agreement.id}"
    bad = client.post(f"{url}/parties", data={"organisation": "Atlantis", "role": "recipient"})
    assert bad.status_code == 422
    assert b"No organisation has the code or name Atlantis" in bad.data
    ok = client.post(f"{url}/parties", data={"organisation": "islington", "role": "recipient"})
    assert ok.status_code == 302
    agreement = db.get(Agreement, agreement.id)
    party = agreement.parties[-1]
    assert party.organisation_id == islington.id
    signing = f"{url}/parties/{party.id}/sign"
    assert client.get(signing).status_code == 200
    form = {
        "signatory_name": "Jo",
        "signatory_title": "DASS",
        **date_fields("signed_on", london_today()),
    }
    refused = client.post(signing, data=form)
    assert refused.status_code == 422
    assert b"Say where the signed copy is" in refused.data
    done = client.post(signing, data={**form, "evidence": "E-mail of today"})
    assert done.status_code == 302
    assert db.get(Agreement, agreement.id).signed_count == 1


def test_the_register_filters_and_exports(client, login_as, db, policies, camden):
    own = factories.make_organisation(db, name="Eastmere", is_self=True)
    factories.make_sharing_agreement(
        db, policies.sharing, own, [camden], title="@SUM(1)", starts_on=london_today() - DAY
    )
    factories.make_sharing_agreement(db, policies.sharing, own, [], signed=0, title="Lonely")
    login_as("ig_officer")
    db.commit()  # requests close the session: keep the set-up
    page = client.get("/sharing/?state=active&partner=E09000007")
    assert page.status_code == 200
    assert b"@SUM(1)" in page.data
    assert b"Lonely" not in page.data
    bad = client.get("/sharing/?partner=Atlantis")
    assert bad.status_code == 422
    assert b"No agreements match" in bad.data
    export = client.get("/sharing/register.csv?state=active")
    assert export.mimetype == "text/csv"
    assert "attachment" in export.headers["Content-Disposition"]
    assert "'@SUM(1)" in export.get_data(as_text=True)
    assert "Lonely" not in export.get_data(as_text=True)


def test_the_calendar_and_the_partner_page_show_what_is_due_and_shared(
    client, login_as, db, policies, camden
):
    own = factories.make_organisation(db, name="Eastmere", is_self=True)
    factories.make_sharing_agreement(
        db,
        policies.sharing,
        own,
        [camden],
        title="Due soon",
        starts_on=london_today() - DAY,
        review_on=london_today() + 20 * DAY,
    )
    login_as("siro")
    db.commit()  # requests close the session: keep the set-up
    calendar = client.get("/sharing/calendar")
    assert calendar.status_code == 200
    assert b'1<span class="govuk-visually-hidden"> reviews due in' in calendar.data
    link = calendar.get_data(as_text=True).split('<a class="govuk-link" href="')[1].split('"')[0]
    listed = client.get(link.replace("&amp;", "&"))
    assert listed.status_code == 200
    assert b"Due soon" in listed.data
    partner = client.get(f"/sharing/organisations/{camden.id}")
    assert partner.status_code == 200
    assert b"Due soon" in partner.data
    assert b"Identity and contact details" in partner.data
    assert client.get("/sharing/organisations/999999").status_code == 404


def selects_for_second_get(engine, client, url: str) -> int:
    """SELECTs run by a second GET of url: sign-in bookkeeping happens on the first."""
    assert client.get(url).status_code == 200
    return statements_for_get(engine, client, url, selects_only=True)


@pytest.mark.parametrize(
    "url",
    [
        "/sharing/",
        "/sharing/organisations/",
        "/sharing/organisations/{camden}",
        "/sharing/calendar",
    ],
)
def test_list_pages_make_no_query_per_row(client, login_as, db, engine, policies, camden, url):
    own = factories.make_organisation(db, name="Eastmere", is_self=True)
    login_as("ig_officer")
    db.commit()  # requests close the session: keep the set-up
    url = url.format(camden=camden.id)
    factories.make_sharing_agreement(db, policies.sharing, own, [camden], starts_on=london_today())
    few = selects_for_second_get(engine, client, url)
    for _ in range(8):
        partner = factories.make_organisation(db)
        factories.make_sharing_agreement(
            db, policies.sharing, own, [camden, partner], starts_on=london_today()
        )
    db.commit()
    assert selects_for_second_get(engine, client, url) == few


def test_changing_the_terms_asks_for_signatures_again(client, login_as, db, policies, camden):
    own = factories.make_organisation(db, name="Eastmere", is_self=True)
    agreement = factories.make_sharing_agreement(
        db, policies.sharing, own, [camden], starts_on=london_today() - DAY
    )
    login_as("ig_officer")
    db.commit()
    url = f"/sharing/agreements/{agreement.id}/edit"
    page = client.get(url)
    assert page.status_code == 200
    assert b"every party must sign again" in page.data
    form = agreement_form(agreement.reference, title="New title", owner="Eastmere")
    stale = client.post(url, data={**form, "version": agreement.version + 3})
    assert stale.status_code == 409
    done = client.post(url, data={**form, "version": agreement.version})
    assert done.status_code == 302
    changed = db.get(Agreement, agreement.id)
    assert (changed.title, changed.signed_count) == ("New title", 0)


def test_renewing_and_terminating_through_the_pages(client, login_as, db, policies, camden):
    own = factories.make_organisation(db, name="Eastmere", is_self=True)
    agreement = factories.make_sharing_agreement(
        db, policies.sharing, own, [camden], starts_on=london_today() - DAY
    )
    login_as("ig_officer")
    db.commit()
    url = f"/sharing/agreements/{agreement.id}"
    start = london_today() + 700 * DAY
    backwards = {**date_fields("starts_on", start), **date_fields("review_on", start - DAY)}
    refused = client.post(f"{url}/renew", data=backwards)
    assert refused.status_code == 422
    assert b"The review date must be on or after the start date" in refused.data
    renewed = client.post(
        f"{url}/renew",
        data={**date_fields("starts_on", start), **date_fields("review_on", start + 300 * DAY)},
    )
    assert renewed.status_code == 302
    assert db.scalar(select(Agreement.revision).where(Agreement.supersedes_id == agreement.id)) == 2
    no_reason = client.post(f"{url}/terminate", data=date_fields("terminated_on", london_today()))
    assert no_reason.status_code == 422
    assert b"Give the reason" in no_reason.data
    ended = client.post(
        f"{url}/terminate",
        data={**date_fields("terminated_on", london_today()), "reason": "Closed"},
    )
    assert ended.status_code == 302
    assert db.get(Agreement, agreement.id).terminated_on == london_today()
    again = client.post(
        f"{url}/terminate",
        data={**date_fields("terminated_on", london_today()), "reason": "Closed"},
    )
    assert again.status_code == 409
