"""The "may we share?" page and GET /api/v1/sharing/check."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.db import london_today, utcnow
from tests import factories

DAY = dt.timedelta(days=1)
ASK = "/sharing/check?organisation={}&category=identity&purpose=direct_care"


@pytest.fixture
def partners(db, policies):
    own = factories.make_organisation(db, name="Eastmere", is_self=True)
    camden = factories.make_organisation(db, "local_authority", "E09000007", "Camden")
    islington = factories.make_organisation(db, "local_authority", "E09000019", "Islington")
    factories.make_sharing_agreement(
        db,
        policies.sharing,
        own,
        [camden],
        starts_on=london_today() - 10 * DAY,
        conditions="Only to the allocated social worker",
        reference="DSA-CAMDEN",
    )
    factories.make_sharing_agreement(
        db,
        policies.sharing,
        own,
        [islington],
        starts_on=london_today() - 800 * DAY,
        review_on=london_today() - 500 * DAY,
        ends_on=london_today() - DAY,
        reference="DSA-OLD-ISL",
    )
    return camden, islington


def test_the_check_needs_sign_in(client):
    assert client.get("/sharing/check").status_code == 302
    assert client.get("/api/v1/sharing/check?organisation=E09000007").status_code == 401


def test_everyone_signed_in_may_ask(client, login_as, db):
    login_as("staff")
    db.commit()
    page = client.get("/sharing/check")
    assert page.status_code == 200
    assert b"May we share?" in page.data


def test_a_covered_share_shows_the_agreement_and_its_conditions(client, login_as, db, partners):
    login_as("staff")
    db.commit()
    page = client.get(ASK.format("camden"))
    assert page.status_code == 200
    assert b"Yes, under an agreement in force" in page.data
    assert b"Only to the allocated social worker" in page.data
    assert b"DSA-CAMDEN" in page.data
    assert b"Ask the Caldicott Guardian" not in page.data


def button_link(text: str) -> tuple[str, dict[str, list[str]]]:
    href = text.split('class="govuk-button" href="')[1].split('"')[0].replace("&amp;", "&")
    link = urlsplit(href)
    return link.path, parse_qs(link.query)


def test_an_expired_agreement_for_care_lists_what_to_check_and_offers_to_record(
    client, login_as, db, partners
):
    _camden, islington = partners
    login_as("staff")
    db.commit()
    page = client.get(ASK.format("E09000019"))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "No agreement covers this, but you may share it for this person's care" in text
    assert "DSA-OLD-ISL" in text
    assert "Expired" in text
    path, query = button_link(text)
    assert path == "/caldicott/requests/new"
    assert query["organisation"] == [str(islington.id)]
    assert query["categories"] == ["identity"]
    assert query["type"] == ["other"]
    assert "(Caldicott Principle 7)" in query["purpose"][0]


def test_for_another_purpose_an_expired_agreement_is_a_plain_no_with_a_caldicott_button(
    client, login_as, db, policies
):
    own = factories.make_organisation(db, name="Eastmere", is_self=True)
    islington = factories.make_organisation(db, "local_authority", "E09000019", "Islington")
    factories.make_sharing_agreement(
        db,
        policies.sharing,
        own,
        [islington],
        purposes=("commissioning",),
        starts_on=london_today() - 800 * DAY,
        review_on=london_today() - 500 * DAY,
        ends_on=london_today() - DAY,
        reference="DSA-OLD-ISL",
    )
    login_as("staff")
    db.commit()
    page = client.get(
        "/sharing/check?organisation=E09000019&category=identity&purpose=commissioning"
    )
    text = page.get_data(as_text=True)
    assert "No agreement covers this. Do not share" in text
    assert "DSA-OLD-ISL" in text
    assert "for this person's care" not in text
    path, query = button_link(text)
    assert path == "/caldicott/requests/new"
    assert query == {
        "organisation": [str(islington.id)],
        "purpose": [
            "Planning and commissioning services: sharing identity and contact details with "
            "Islington, which no agreement in force covers."
        ],
        "categories": ["identity"],
        "type": ["new_data_flow"],
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("organisation=Atlantis&category=identity&purpose=direct_care", b"No organisation has"),
        ("organisation=camden&category=gossip&purpose=direct_care", b"Not a valid choice"),
        ("organisation=&category=identity&purpose=direct_care", b"Enter the partner"),
    ],
)
def test_bad_questions_are_answered_with_what_is_wrong(
    client, login_as, db, partners, query, message
):
    login_as("staff")
    db.commit()
    page = client.get(f"/sharing/check?{query}")
    assert page.status_code == 422
    assert message in page.data


def bearer(db, roles=("staff",)) -> dict[str, str]:
    user = factories.make_user(db, roles=roles)
    _token, raw = tokens.create_token(db, SYSTEM, user, "dashboard", utcnow())
    db.commit()
    return {"Authorization": f"Bearer {raw}"}


def test_the_api_says_covered_with_the_agreement(client, db, partners):
    response = client.get(
        "/api/v1/sharing/check?organisation=e09000007&category=identity&purpose=direct_care",
        headers=bearer(db),
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["covered"] is True
    assert body["organisation"]["code"] == "E09000007"
    [agreement] = body["agreements"]
    assert agreement["reference"] == "DSA-CAMDEN"
    assert agreement["conditions"] == "Only to the allocated social worker"


def test_the_api_says_not_covered_and_why(client, db, partners):
    response = client.get(
        "/api/v1/sharing/check?organisation=E09000019&category=identity&purpose=direct_care",
        headers=bearer(db),
    )
    body = response.get_json()
    assert body["covered"] is False
    assert body["agreements"] == []
    assert [a["state"] for a in body["not_in_force"]] == ["expired"]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("organisation=E09000099&category=identity&purpose=direct_care", 404),
        ("organisation=E09000007&category=gossip&purpose=direct_care", 422),
        ("organisation=E09000007&category=identity", 422),
    ],
)
def test_the_api_refuses_bad_questions_as_problems(client, db, partners, query, status):
    response = client.get(f"/api/v1/sharing/check?{query}", headers=bearer(db))
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"


def test_the_check_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert "/sharing/check" in document["paths"]
