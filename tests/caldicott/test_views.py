"""View tests: each page for anonymous, wrong-role, happy and invalid requests."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ig.audit.models import AuditEntry
from ig.caldicott.models import CaldicottDecision, CaldicottRequest, RequestStatus
from tests import factories
from tests.caldicott.conftest import assess, sign
from tests.queries import statements_for_get

pytestmark = pytest.mark.usefixtures("isolated")


def _fresh(db, request):
    """The request as the database now holds it (a view's teardown detaches old objects)."""
    db.expire_all()
    return db.scalar(select(CaldicottRequest).where(CaldicottRequest.id == request.id))


def _request_form(organisation_id, **changes):
    data = {
        "received_on": ["4", "5", "2026"],
        "requester_name": "DC Jane Rivers",
        "requester_role": "Detective constable",
        "organisation_id": str(organisation_id),
        "channel": "email",
        "request_type": "police_disclosure",
        "purpose": "Investigation",
        "information": "Contact history",
        "categories": ["care_records"],
        "people_count": "1",
        "includes_deceased": "no",
        "urgency": "routine",
        "needed_by": ["14", "5", "2026"],
        "case_details": "Secret case detail",
        "identifiers": "AC-1\nAC-2",
    }
    data.update(changes)
    return data


def _assessment_form(policy, **changes):
    data = {
        "article6": "e_public_task",
        "article9": "not_applicable",
        "article10": "crime_prevention",
        "confidentiality_basis": "statutory_gateway",
        "consultations": "Legal: fine",
        "recommended_outcome": "approved",
        "recommendation": "Approve",
        **{f"principle_{p.key}": "met" for p in policy.principles},
    }
    data.update(changes)
    return data


def _decision_form(**changes):
    data = {
        "outcome": "approved",
        "reasons": "Lawful and necessary",
        "password": factories.PASSWORD,
    }
    data.update(changes)
    return data


@pytest.fixture
def assessed(db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    assess(db, policy, people["ig_officer"][1], request)
    return request


@pytest.mark.parametrize(
    "url",
    [
        "/caldicott/",
        "/caldicott/requests/new",
        "/caldicott/queue",
        "/caldicott/figures",
        "/caldicott/export.csv",
        "/caldicott/search",
    ],
)
def test_pages_need_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_new_request_is_prefilled_from_the_sharing_check(client, login_as, db):
    login_as("staff")
    organisation = factories.make_caldicott_organisation(db, "Eastmere Police")
    response = client.get(
        f"/caldicott/requests/new?organisation={organisation.id}&purpose=Share+care+plans"
        "&categories=health,made_up,care_records&type=new_data_flow"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="organisation_name" type="text" value="Eastmere Police"' in html
    assert f'<input type="hidden" name="organisation_id" value="{organisation.id}">' in html
    assert "Share care plans</textarea>" in html
    assert 'value="new_data_flow" checked' in html
    assert 'value="health" checked' in html
    assert 'value="made_up"' not in html


def test_staff_raise_a_request(client, login_as, db):
    user = login_as("staff")
    organisation = factories.make_caldicott_organisation(db)
    response = client.post("/caldicott/requests/new", data=_request_form(organisation.id))
    assert response.status_code == 302, response.get_data(as_text=True)
    created = db.scalar(select(CaldicottRequest))
    assert created.raised_by_id == user.id
    assert [s.identifier for s in created.subjects] == ["AC-1", "AC-2"]
    page = client.get(response.headers["Location"])
    assert b"Secret case detail" in page.data
    assert b"Assessment and decision history" not in page.data  # staff see no assessment


def test_an_invalid_request_is_refused_with_the_reason(client, login_as, db):
    login_as("staff")
    organisation = factories.make_caldicott_organisation(db)
    response = client.post(
        "/caldicott/requests/new",
        data=_request_form(organisation.id, needed_by=["1", "1", "2026"], people_count="0"),
    )
    assert response.status_code == 422
    assert b"Enter how many people, 1 or more" in response.data
    assert db.scalar(select(CaldicottRequest)) is None


def test_a_request_from_a_date_the_service_refuses(client, login_as, db):
    login_as("staff")
    organisation = factories.make_caldicott_organisation(db)
    response = client.post(
        "/caldicott/requests/new", data=_request_form(organisation.id, needed_by=["1", "1", "2026"])
    )
    assert response.status_code == 422
    assert b"cannot be needed before it was asked for" in response.data


def test_the_auditor_cannot_raise_requests(client, login_as):
    login_as("auditor")
    assert client.get("/caldicott/requests/new").status_code == 403


def test_staff_cannot_see_others_requests(client, login_as, db, people):
    request = factories.make_caldicott_request(db, people["manager"][0])
    login_as("staff")
    assert client.get(f"/caldicott/requests/{request.reference}").status_code == 404


def test_reading_the_decision_page_is_audited(client, login_as, db, assessed):
    login_as("siro")
    response = client.get(f"/caldicott/requests/{assessed.reference}")
    assert response.status_code == 200
    assert b"Case details that must stay encrypted" in response.data
    viewed = db.scalar(select(AuditEntry).where(AuditEntry.action == "caldicott.detail_viewed"))
    assert viewed.record_id == assessed.reference


def test_officer_assesses(client, login_as, db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    login_as("ig_officer")
    url = f"/caldicott/requests/{request.reference}/assess"
    assert client.get(url).status_code == 200
    response = client.post(url, data=_assessment_form(policy))
    assert response.status_code == 302
    assert _fresh(db, request).status == RequestStatus.AWAITING_DECISION


def test_an_incomplete_assessment_is_refused(client, login_as, db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    login_as("ig_officer")
    url = f"/caldicott/requests/{request.reference}/assess"
    response = client.post(
        url, data=_assessment_form(policy, principle_law="", consultations="no colon")
    )
    assert response.status_code == 422
    assert b"Say how principle 6 is met" in response.data
    assert _fresh(db, request).status == RequestStatus.AWAITING_ASSESSMENT


@pytest.mark.parametrize("role", ["staff", "siro", "auditor", "manager"])
def test_other_roles_cannot_assess(client, login_as, assessed, role, policy):
    login_as(role)
    url = f"/caldicott/requests/{assessed.reference}/assess"
    assert client.post(url, data=_assessment_form(policy)).status_code == 403


@pytest.mark.parametrize(
    "role", ["staff", "ig_officer", "siro", "auditor", "manager", "administrator"]
)
def test_no_role_but_a_guardian_can_sign(client, login_as, db, assessed, role):
    login_as(role)
    url = f"/caldicott/requests/{assessed.reference}/decide"
    assert client.get(url).status_code == 403
    assert client.post(url, data=_decision_form()).status_code == 403
    assert _fresh(db, assessed).versions[0].signed_at is None


@pytest.mark.parametrize("role", ["caldicott_guardian", "deputy_caldicott_guardian"])
def test_a_guardian_or_deputy_signs(client, login_as, db, assessed, role):
    login_as(role)
    url = f"/caldicott/requests/{assessed.reference}/decide"
    assert client.get(url).status_code == 200
    response = client.post(url, data=_decision_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _fresh(db, assessed).status == RequestStatus.DECIDED
    assert _fresh(db, assessed).versions[0].signed_capacity.value == role
    page = client.get(f"/caldicott/requests/{assessed.reference}")
    assert b"Verified" in page.data


def test_a_wrong_password_is_refused_and_the_failure_kept(client, login_as, db, assessed):
    login_as("caldicott_guardian")
    url = f"/caldicott/requests/{assessed.reference}/decide"
    response = client.post(url, data=_decision_form(password="wrong"))
    assert response.status_code == 422
    assert b"The password is not correct" in response.data
    assert _fresh(db, assessed).versions[0].signed_at is None
    assert db.scalar(
        select(AuditEntry).where(AuditEntry.action == "caldicott.reauthentication_failed")
    )


def test_a_decision_without_reasons_is_refused(client, login_as, db, assessed):
    login_as("caldicott_guardian")
    url = f"/caldicott/requests/{assessed.reference}/decide"
    response = client.post(url, data=_decision_form(reasons=""))
    assert response.status_code == 422
    assert _fresh(db, assessed).versions[0].signed_at is None


def test_the_requester_cannot_sign_through_the_page(client, login_as, db, people, policy):
    guardian = login_as("caldicott_guardian")
    request = factories.make_caldicott_request(db, guardian)
    assess(db, policy, people["ig_officer"][1], request)
    url = f"/caldicott/requests/{request.reference}/decide"
    assert client.get(url).status_code == 403
    assert client.post(url, data=_decision_form()).status_code == 403
    assert _fresh(db, request).versions[0].signed_at is None
    page = client.get(f"/caldicott/requests/{request.reference}")
    assert b"another Guardian must sign" in page.data


def _snapshot(db, request):
    db.expire_all()
    version = db.scalar(select(CaldicottDecision).where(CaldicottDecision.request_id == request.id))
    return (
        version.digest,
        version.reasons,
        version.outcome,
        version.signed_by_id,
        version.version,
        request.outcome,
        request.status,
    )


def test_a_signed_decision_cannot_be_changed_through_any_route(
    client, login_as, db, people, policy, assessed
):
    sign(db, policy, people["caldicott_guardian"], assessed)
    before = _snapshot(db, assessed)
    injected = {
        "signed_by_id": "1",
        "digest": "0" * 64,
        "number": "1",
        "version_id": "1",
        "signed_at": "2020-01-01",
        "status": "awaiting_decision",
        "row_version": "1",
    }
    login_as("caldicott_guardian", "ig_officer")
    base = f"/caldicott/requests/{assessed.reference}"
    assert (
        client.post(
            f"{base}/decide", data={**_decision_form(outcome="declined"), **injected}
        ).status_code
        == 409
    )
    assert (
        client.post(f"{base}/assess", data={**_assessment_form(policy), **injected}).status_code
        == 409
    )
    assert client.post(base, data=injected).status_code == 405
    assert client.post(f"{base}/record", data=injected).status_code == 405
    assert client.put("/api/v1/caldicott/decisions", json=injected).status_code in (401, 405)
    assert _snapshot(db, assessed) == before


def test_amending_keeps_both_versions_and_shows_what_changed(
    client, login_as, db, people, policy, assessed
):
    sign(db, policy, people["caldicott_guardian"], assessed)
    login_as("ig_officer")
    base = f"/caldicott/requests/{assessed.reference}"
    assert client.post(f"{base}/amend", data={"reason": ""}).status_code == 422
    response = client.post(f"{base}/amend", data={"reason": "New information"})
    assert response.status_code == 302
    response = client.post(f"{base}/assess", data=_assessment_form(policy, recommendation="Now X"))
    assert response.status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert "Version 2: Draft: awaiting decision" in page
    assert "Version 1: Signed, in force" in page
    assert "Why recommended" in page  # what changed


def test_the_identifier_search_finds_by_exact_identifier(client, login_as, db, people):
    request = factories.make_caldicott_request(db, people["staff"][0])
    login_as("staff")
    assert client.get("/caldicott/search").status_code == 403
    login_as("ig_officer")
    assert client.post("/caldicott/search", data={"identifier": ""}).status_code == 422
    response = client.post("/caldicott/search", data={"identifier": "ac-1234567"})
    assert request.reference.encode() in response.data


def test_the_log_filters_and_scopes(client, login_as, db, people, policy):
    mine = login_as("staff")
    own = factories.make_caldicott_request(db, mine)
    other = factories.make_caldicott_request(db, people["manager"][0], request_type="research")
    page = client.get("/caldicott/").get_data(as_text=True)
    assert own.reference in page
    assert other.reference not in page
    login_as("ig_officer")
    page = client.get("/caldicott/?request_type=research").get_data(as_text=True)
    assert other.reference in page
    assert own.reference not in page
    assert client.get("/caldicott/?status=nonsense").status_code == 422


def test_the_csv_export_is_safe(client, login_as, db, people):
    factories.make_caldicott_request(db, people["staff"][0], requester_name="=HYPERLINK(1)")
    login_as("staff")
    assert client.get("/caldicott/export.csv").status_code == 403
    login_as("ig_officer")
    response = client.get("/caldicott/export.csv")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert "'=HYPERLINK(1)" in text
    assert "Case details" not in text


def test_queue_and_figures(client, login_as, db, people, policy, assessed):
    login_as("staff")
    assert client.get("/caldicott/queue").status_code == 403
    login_as("caldicott_guardian")
    assert assessed.reference.encode() in client.get("/caldicott/queue").data
    assert client.get("/caldicott/figures?year=2026").status_code == 200


@pytest.mark.parametrize("url", ["/caldicott/", "/caldicott/queue"])
def test_list_pages_make_no_query_per_row(client, login_as, db, people, policy, url):
    login_as("caldicott_guardian")
    factories.make_caldicott_request(db, people["staff"][0])
    few = statements_for_get(db.get_bind().engine, client, url)
    for _ in range(6):
        request = factories.make_caldicott_request(db, people["staff"][0])
        assess(db, policy, people["ig_officer"][1], request)
    many = statements_for_get(db.get_bind().engine, client, url)
    assert many == few


def test_home_shows_the_guardian_their_work(client, login_as, assessed):
    login_as("caldicott_guardian")
    page = client.get("/").get_data(as_text=True)
    assert "Decide Caldicott requests" in page
    login_as("staff")
    assert "Decide Caldicott requests" not in client.get("/").get_data(as_text=True)


def test_the_auditor_reads_the_log_and_decisions_but_raises_nothing(client, login_as, assessed):
    login_as("auditor")
    page = client.get("/caldicott/").get_data(as_text=True)
    assert assessed.reference in page
    assert "Raise a request" not in page
    assert client.get(f"/caldicott/requests/{assessed.reference}").status_code == 200
    assert client.get(f"/caldicott/requests/{assessed.reference}/assess").status_code == 403


def test_administrators_do_not_see_caldicott_cases(client, login_as, assessed):
    login_as("administrator")
    assert client.get("/caldicott/").status_code == 403
    assert client.get(f"/caldicott/requests/{assessed.reference}").status_code == 403


def test_anyone_with_access_can_recompute_the_digest(
    client, login_as, db, people, policy, assessed
):
    import hashlib

    version = sign(db, policy, people["caldicott_guardian"], assessed)
    url = f"/caldicott/requests/{assessed.reference}/versions/1/signed.json"
    login_as("staff")
    assert client.get(url).status_code == 403
    login_as("auditor")
    page = client.get(f"/caldicott/requests/{assessed.reference}").get_data(as_text=True)
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert hashlib.sha256(response.data).hexdigest() == version.digest
    assert client.get(url.replace("/1/", "/2/")).status_code == 404
