"""Partner register pages: adding, changing, loading and naming signatories."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from ig.people.models import Organisation
from ig.sharing import organisations
from tests import factories


def form(**changes: object) -> dict[str, object]:
    return {"name": "Camden", "kind": "local_authority", "code": "E09000007", **changes}


def test_adding_a_partner_needs_the_permission(client, login_as, db):
    assert client.post("/sharing/organisations/new", data=form()).status_code == 302  # sign in
    login_as("siro")
    db.commit()  # requests close the session: keep the set-up
    assert client.post("/sharing/organisations/new", data=form()).status_code == 403


def test_the_ig_officer_adds_a_partner(client, login_as, db):
    login_as("ig_officer")
    db.commit()  # requests close the session: keep the set-up
    assert client.get("/sharing/organisations/new").status_code == 200
    response = client.post("/sharing/organisations/new", data=form())
    assert response.status_code == 302
    assert db.scalar(select(Organisation.name).where(Organisation.code == "E09000007")) == "Camden"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "E9000007"}, b"E9000007 is not a valid code"),
        (
            {"kind": "nhs_trust", "code": "E09000007"},
            b"an NHS trust&#39;s ODS code is 3 characters",
        ),
        ({"kind": "integrated_care_board", "code": ""}, b"Enter the code"),
        ({"name": ""}, b"Enter the organisation"),
    ],
)
def test_a_bad_code_is_refused_clearly(client, login_as, db, changes, message):
    login_as("ig_officer")
    db.commit()  # requests close the session: keep the set-up
    response = client.post("/sharing/organisations/new", data=form(**changes))
    assert response.status_code == 422
    assert message in response.data
    assert db.scalar(select(func.count()).select_from(Organisation)) == 0


def test_changing_a_partner_keeps_its_version(client, login_as, db):
    camden = factories.make_organisation(db, "local_authority", "E09000007", "Camden")
    login_as("ig_officer")
    db.commit()  # requests close the session: keep the set-up
    url = f"/sharing/organisations/{camden.id}/edit"
    assert b"Camden" in client.get(url).data
    stale = client.post(url, data=form(name="Camden Council", version=camden.version + 5))
    assert stale.status_code == 409
    ok = client.post(url, data=form(name="Camden Council", version=camden.version))
    assert ok.status_code == 302
    assert db.get(Organisation, camden.id).name == "Camden Council"


def test_the_ons_list_is_loaded_from_an_upload(client, login_as, db):
    login_as("ig_officer")
    db.commit()  # requests close the session: keep the set-up
    text = b"LAD23CD,LAD23NM\r\nE06000001,Hartlepool\r\nW06000001,Isle of Anglesey\r\n"
    response = client.post(
        "/sharing/organisations/load",
        data={"file": (io.BytesIO(text), "LAD.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert db.scalar(select(func.count()).select_from(Organisation)) == 1
    bad = client.post(
        "/sharing/organisations/load",
        data={"file": (io.BytesIO(b"\xff\xfe\x00bad"), "LAD.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    assert b"UTF-8" in bad.data


def test_a_signatory_is_named(client, login_as, db):
    camden = factories.make_organisation(db, "local_authority", "E09000007", "Camden")
    user = factories.make_user(db, roles=("siro",), email="siro@camden.example")
    login_as("ig_officer")
    db.commit()  # requests close the session: keep the set-up
    url = f"/sharing/organisations/{camden.id}/signatories"
    assert client.post(url, data={"email": "nobody@x.example"}).status_code == 422
    assert client.post(url, data={"email": user.email}).status_code == 302
    assert organisations.is_named_signatory(db, user.id, camden.id)
