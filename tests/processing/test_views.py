"""The processing-activity pages: who may see them, adding, editing, filtering, queries."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ig.processing.models import ProcessingActivity
from ig.processing.rules import LawfulBasis, Role
from tests.factories import make_asset, make_organisation, make_user
from tests.processing.data import make_activity
from tests.queries import statements_for_get

FORM = {
    "name": "Children's safeguarding",
    "role": "controller",
    "controllers": "",
    "purpose": "Protecting children at risk of harm",
    "lawful_basis": "legal_obligation",
    "people_categories": ["children", "parents"],
    "data_categories": ["identity", "health"],
    "art9_condition": "substantial_public_interest",
    "schedule_1_condition": "safeguarding",
    "has_policy_document": "yes",
    "recipients": "Police, schools",
    "safeguard": "none",
    "transfer_detail": "",
    "retention": "Until the 25th birthday",
    "security_measures": "Role-based access",
    "assets": "",
    "relies_on_consent": "no",
    "is_automated": "no",
}


def count(db):
    db.expire_all()
    return db.scalar(select(func.count()).select_from(ProcessingActivity))


@pytest.mark.parametrize(
    ("role", "read", "manage", "export"),
    [
        ("staff", 403, 403, 403),
        ("manager", 403, 403, 403),
        ("caldicott_guardian", 200, 403, 403),
        ("siro", 200, 403, 200),
        ("auditor", 200, 403, 200),
        ("ig_officer", 200, 200, 200),
    ],
)
def test_permissions_per_role(client, login_as, db, role, read, manage, export):
    activity = make_activity(db, make_user(db))
    assert client.get("/processing/").status_code == 302  # not signed in
    login_as(role)
    assert client.get("/processing/").status_code == read
    assert client.get(f"/processing/{activity.id}").status_code == read
    assert client.get("/processing/new").status_code == manage
    assert client.get(f"/processing/{activity.id}/edit").status_code == manage
    for url in ("/processing/export.csv", "/processing/export.xlsx", "/processing/print"):
        assert client.get(url).status_code == export


def test_an_officer_records_an_activity_linked_to_an_asset(client, login_as, db):
    officer = login_as("ig_officer")
    asset = make_asset(db, name="Liquidlogic children's records")
    data = {**FORM, "assets": asset.name, "owner_name": officer.email}
    response = client.post("/processing/new", data=data)
    assert response.status_code == 302
    activity = db.scalar(select(ProcessingActivity))
    assert response.headers["Location"].endswith(f"/processing/{activity.id}")
    page = client.get(f"/processing/{activity.id}").get_data(as_text=True)
    assert "Liquidlogic children&#39;s records" in page
    assert "Sch. 1 para. 18 safeguarding" in page


def test_the_form_needs_a_csrf_token(client, login_as, db):
    officer = login_as("ig_officer")
    data = {**FORM, "owner_name": officer.email}
    assert client.post("/processing/new", data=data, csrf=False).status_code == 400
    assert count(db) == 0


def test_a_missing_policy_document_is_refused_with_a_clear_message(client, login_as, db):
    officer = login_as("ig_officer")
    data = {**FORM, "has_policy_document": "no", "owner_name": officer.email}
    response = client.post("/processing/new", data=data)
    assert response.status_code == 422
    assert "needs an appropriate policy document" in response.get_data(as_text=True)
    assert count(db) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter the activity&#39;s name"),
        ({"name": "x" * 201}, "200"),
        ({"lawful_basis": "whim"}, "Not a valid choice"),
        ({"owner_name": ""}, "Enter the activity&#39;s owner"),
        ({"role": "processor"}, "Enter the controller the council processes"),
        ({"assets": "No such asset"}, "No information asset is called No such asset"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(client, login_as, db, changes, message):
    officer = login_as("ig_officer")
    data = {**FORM, "owner_name": officer.email, **changes}
    response = client.post("/processing/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(db) == 0


def test_an_edit_saves_and_a_stale_edit_is_a_conflict(client, login_as, db):
    officer = login_as("ig_officer")
    activity = make_activity(db, officer)
    form = client.get(f"/processing/{activity.id}/edit").get_data(as_text=True)
    assert "Adult social care case management" in form
    data = {
        **FORM,
        "name": "Renamed",
        "version": str(activity.version),
        "owner_name": officer.email,
    }
    assert client.post(f"/processing/{activity.id}/edit", data=data).status_code == 302
    stale = client.post(f"/processing/{activity.id}/edit", data={**data, "name": "Again"})
    assert stale.status_code == 409
    db.expire_all()
    assert db.get(ProcessingActivity, activity.id).name == "Renamed"


def test_the_register_shows_controller_and_processor_apart_and_filters(client, login_as, db):
    login_as("auditor")
    owner = make_user(db)
    trust = make_organisation(db, kind="nhs_trust", code="RAP", name="North Trust")
    make_activity(db, owner, name="Case management")
    make_activity(
        db, owner, name="AI transcription", lawful_basis=LawfulBasis.CONSENT, relies_on_consent=True
    )
    make_activity(
        db, owner, name="Discharge tracking", role=Role.PROCESSOR, controllers=(trust.code,)
    )
    page = client.get("/processing/").get_data(as_text=True)
    assert "Case management" in page
    assert "Discharge tracking" not in page
    page = client.get("/processing/?role=processor").get_data(as_text=True)
    assert "Discharge tracking" in page
    assert "North Trust" in page
    assert "Case management" not in page
    page = client.get("/processing/?consent=yes").get_data(as_text=True)
    assert "AI transcription" in page
    assert "Case management" not in page
    page = client.get("/processing/?basis=public_task&q=case").get_data(as_text=True)
    assert "Case management" in page
    assert "AI transcription" not in page
    page = client.get("/processing/?special=no").get_data(as_text=True)
    assert "No activities match" in page


def test_the_register_makes_no_query_per_row(client, login_as, db, engine):
    login_as("ig_officer")
    owner = make_user(db)
    trust = make_organisation(db, kind="nhs_trust", code="RAP", name="North Trust")
    make_activity(db, owner, name="Only one", controllers=(trust.code,))
    one = statements_for_get(engine, client, "/processing/", selects_only=True)
    for number in range(6):
        make_activity(db, make_user(db), name=f"More {number}", controllers=(trust.code,))
    assert statements_for_get(engine, client, "/processing/", selects_only=True) == one
