"""The information-asset pages: who may see them, adding, editing, confirming, filtering."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from ig.assets.models import InformationAsset
from ig.db import london_today
from tests.factories import make_asset, make_organisation, make_user
from tests.queries import statements_for_get

NEW_ASSET = {
    "name": "Children's services records",
    "system": "Liquidlogic Children's System",
    "description": "Referrals, assessments and plans for children and families",
    "personal_data": ["identity", "family"],
    "special_categories": ["health"],
    "record_count": "21500",
    "asset_format": "both",
    "hosting": "on_premises",
    "location": "Civic Offices data centre",
    "retention_period": "Until the 25th birthday",
    "retention_rule": "Retention schedule 3.1",
    "security_controls": "Role-based access",
    "criticality": "critical",
    "suppliers": "",
}


def reload(db, asset):
    db.expire_all()
    return db.get(InformationAsset, asset.id)


def new_asset(user, **changes):
    return {
        **NEW_ASSET,
        "owner_user_id": str(user.id),
        "administrator_user_id": str(user.id),
        **changes,
    }


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 403), ("manager", 403), ("ig_officer", 200), ("siro", 200), ("auditor", 200)],
)
def test_register_permissions(client, login_as, role, status):
    assert client.get("/assets/").status_code == 302  # not signed in
    login_as(role)
    assert client.get("/assets/").status_code == status
    assert client.get("/assets/export.csv").status_code == status


@pytest.mark.parametrize("role", ["siro", "auditor", "caldicott_guardian"])
def test_readers_cannot_add_edit_or_link(client, login_as, db, role):
    asset = make_asset(db)
    user = login_as(role)
    assert client.get("/assets/new").status_code == 403
    assert client.post("/assets/new", data=new_asset(user)).status_code == 403
    assert client.get(f"/assets/{asset.id}/edit").status_code == 403
    link = {"kind": "notice", "reference": "1"}
    assert client.post(f"/assets/{asset.id}/links", data=link).status_code == 403
    assert client.post(f"/assets/{asset.id}/confirm", data={"version": "1"}).status_code == 403
    assert client.get(f"/assets/{asset.id}").status_code == 200


def test_the_owner_sees_and_confirms_their_own_asset(client, login_as, db):
    owner = login_as("manager")
    asset = make_asset(db, owner=owner)
    other = make_asset(db, name="Someone else's")
    assert client.get(f"/assets/{other.id}").status_code == 403
    page = client.get(f"/assets/{asset.id}")
    assert b"Confirm this entry is accurate" in page.data
    assert b'href="/assets/mine"' in page.data  # not the register, which they cannot open
    response = client.post(f"/assets/{asset.id}/confirm", data={"version": str(asset.version)})
    assert response.status_code == 302
    asset = reload(db, asset)
    assert asset.last_confirmed_on == london_today()
    stale = client.post(f"/assets/{asset.id}/confirm", data={"version": "1"})
    assert stale.status_code == 409


def test_confirming_without_csrf_is_refused(client, login_as, db):
    owner = login_as("manager")
    asset = make_asset(db, owner=owner)
    response = client.post(f"/assets/{asset.id}/confirm", csrf=False, data={"version": "1"})
    assert response.status_code == 400
    asset = reload(db, asset)
    assert asset.last_confirmed_on is None


def test_add_an_asset(client, login_as, db):
    user = login_as("ig_officer")
    supplier = make_organisation(db, name="System C Healthcare")
    data = new_asset(user, suppliers="System C Healthcare\n")
    response = client.post("/assets/new", data=data)
    assert response.status_code == 302, response.data
    asset = db.scalar(select(InformationAsset).where(InformationAsset.name == NEW_ASSET["name"]))
    assert asset is not None
    assert [s.id for s in asset.suppliers] == [supplier.id]
    page = client.get(response.headers["Location"])
    assert b"Liquidlogic" in page.data
    assert b"Health" in page.data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, b"Enter the asset&#39;s name"),
        ({"record_count": "-5"}, b"Enter a whole number from 0"),
        ({"record_count": "lots"}, b"Not a valid integer value"),
        ({"record_count": "99999999999999999999"}, b"Enter"),
        ({"criticality": "extreme"}, b"Not a valid choice"),
        ({"personal_data": ["bogus"]}, b"valid choice"),
        ({"suppliers": "Nobody at all"}, b"No organisation has the code or name"),
    ],
)
def test_a_bad_asset_is_refused_with_a_clear_error(client, login_as, db, changes, message):
    user = login_as("ig_officer")
    response = client.post("/assets/new", data=new_asset(user, **changes))
    assert response.status_code == 422
    assert message in response.data
    assert (
        db.scalar(select(InformationAsset).where(InformationAsset.system == NEW_ASSET["system"]))
        is None
    )


def test_add_without_csrf_is_refused(client, login_as, db):
    user = login_as("ig_officer")
    response = client.post("/assets/new", csrf=False, data=new_asset(user))
    assert response.status_code == 400
    assert db.scalar(select(InformationAsset)) is None


def test_edit_and_a_stale_edit(client, login_as, db):
    user = login_as("ig_officer")
    make_organisation(db, name="Mosaic Ltd", code="MOS9")
    asset = make_asset(db, suppliers=("MOS9",), location="Leeds data centre")
    form = client.get(f"/assets/{asset.id}/edit").get_data(as_text=True)
    assert ">MOS9</textarea>" in form
    assert "Leeds data centre" in form
    assert 'value="care_records" checked' in form
    data = new_asset(user, version=str(asset.version), name="Renamed records")
    assert client.post(f"/assets/{asset.id}/edit", data=data).status_code == 302
    asset = reload(db, asset)
    assert asset.name == "Renamed records"
    stale = client.post(f"/assets/{asset.id}/edit", data={**data, "name": "Again"})
    assert stale.status_code == 409
    asset = reload(db, asset)
    assert asset.name == "Renamed records"


def test_link_and_unlink_a_notice(client, login_as, db):
    login_as("ig_officer")
    asset = make_asset(db)
    bad = client.post(f"/assets/{asset.id}/links", data={"kind": "incident", "reference": "X-1"})
    assert bad.status_code == 422
    assert b"No incident has that reference" in bad.data
    from tests.factories import make_notice

    notice = make_notice(db)
    link = {"kind": "notice", "reference": str(notice.id)}
    assert client.post(f"/assets/{asset.id}/links", data=link).status_code == 302
    page = client.get(f"/assets/{asset.id}")
    assert f"/notices/{notice.id}".encode() in page.data
    assert client.post(f"/assets/{asset.id}/links/remove", data=link).status_code == 302
    assert f"/notices/{notice.id}".encode() not in client.get(f"/assets/{asset.id}").data


def test_register_filters_and_puts_overdue_first(client, login_as, db):
    login_as("auditor")
    owner = make_user(db, name="Sam Owner")
    today = london_today()
    make_asset(db, name="Alpha current", criticality="low", now=dt.datetime.now(dt.UTC))
    make_asset(db, name="Zulu overdue", owner=owner, now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    page = client.get("/assets/").get_data(as_text=True)
    assert page.index("Zulu overdue") < page.index("Alpha current")
    assert "Overdue" in page
    only_overdue = client.get("/assets/?overdue=y").get_data(as_text=True)
    assert "Zulu overdue" in only_overdue
    assert "Alpha current" not in only_overdue
    by_owner = client.get(f"/assets/?owner={owner.id}").get_data(as_text=True)
    assert "Alpha current" not in by_owner
    low = client.get("/assets/?criticality=low").get_data(as_text=True)
    assert "Zulu overdue" not in low
    assert "Alpha current" in low
    found = client.get("/assets/?q=ZULU").get_data(as_text=True)
    assert "Alpha current" not in found
    assert "Zulu overdue" in found
    assert "Zulu overdue" in client.get("/assets/?criticality=nonsense").get_data(as_text=True)
    assert today  # the register compares with the UK date


def test_register_makes_no_query_per_row(client, login_as, db, engine):
    login_as("ig_officer")
    for number in range(3):
        make_asset(db, name=f"Asset {number}", suppliers=())
    client.get("/assets/")
    few = statements_for_get(engine, client, "/assets/", selects_only=True)
    for number in range(3, 10):
        make_asset(db, name=f"Asset {number}", owner=make_user(db))
    many = statements_for_get(engine, client, "/assets/", selects_only=True)
    assert many <= few


def test_csv_export(client, login_as, db):
    login_as("siro")
    make_organisation(db, name="=Formula Ltd")
    make_asset(db, name="Housing records", suppliers=("=Formula Ltd",))
    response = client.get("/assets/export.csv?q=housing")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "Housing records" in text
    assert "'=Formula Ltd" in text
    assert "Assessments, care and support plans" not in text  # encrypted text stays out


def test_navigation_shows_the_register_to_readers_only(client, login_as):
    login_as("auditor")
    assert b'href="/assets/"' in client.get("/").data
    client.get("/")
    login_as("staff")
    assert b'href="/assets/"' not in client.get("/").data
