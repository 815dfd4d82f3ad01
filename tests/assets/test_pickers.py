"""An asset's owner and administrator, and the register's owner filter: pickers, never a
list of every user (issue 16)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from ig.assets.models import InformationAsset
from ig.auth.models import User
from tests.assets.test_views import NEW_ASSET
from tests.factories import make_asset, make_user


def _count(db):
    db.expire_all()
    return db.scalar(select(func.count()).select_from(InformationAsset))


def test_a_typed_owner_and_administrator_are_saved(client, login_as, db):
    login_as("ig_officer")
    owner = make_user(db, name="Nadia Owner", email="nadia@council.test")
    admin = make_user(db, name="Omar Admin", email="omar@council.test")
    data = {**NEW_ASSET, "owner_name": "nadia owner", "administrator_name": "omar@council"}
    response = client.post("/assets/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    asset = db.scalar(select(InformationAsset))
    assert (asset.owner_user_id, asset.administrator_user_id) == (owner.id, admin.id)


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("owner_name", "", "Enter the asset&#39;s owner"),
        ("administrator_name", "", "Enter the asset&#39;s administrator"),
        ("owner_name", "Nobody Known", "No person matches \u201cNobody Known\u201d"),
        ("administrator_name", "lee", "2 match lee: choose the person you mean"),
        ("owner_name", "Gone Owner", "No person matches"),  # a disabled account
    ],
)
def test_a_person_that_is_not_one_active_user_saves_nothing(
    client, login_as, db, field, typed, message
):
    login_as("ig_officer")
    make_user(db, name="Nadia Owner")
    make_user(db, name="Lee One")
    make_user(db, name="Lee Two")
    make_user(db, name="Gone Owner", is_active=False)
    data = {**NEW_ASSET, "owner_name": "Nadia Owner", "administrator_name": "Nadia Owner"}
    response = client.post("/assets/new", data={**data, field: typed})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(db) == 0


def test_editing_shows_the_current_people_and_changes_the_owner_by_name(client, login_as, db):
    login_as("ig_officer")
    owner = make_user(db, name="Nadia Owner", email="nadia@council.test")
    asset = make_asset(db, owner=owner)
    page = client.get(f"/assets/{asset.id}/edit").get_data(as_text=True)
    assert 'value="Nadia Owner (nadia@council.test)"' in page
    assert f'<input type="hidden" name="owner_user_id" value="{owner.id}">' in page
    other = make_user(db, name="Omar Other")
    data = {
        **NEW_ASSET,
        "version": str(asset.version),
        "owner_name": "omar other",
        "owner_user_id": str(owner.id),  # stale: the typed name decides
        "administrator_user_id": str(asset.administrator_user_id),  # the id alone
    }
    response = client.post(f"/assets/{asset.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.expire_all()
    assert db.get(InformationAsset, asset.id).owner_user_id == other.id


def test_pages_never_list_every_user(client, login_as, db):
    db.execute(
        insert(User),
        [
            {"email": f"bulk{i}@council.test", "name": f"Bulk User {i:04d}", "password_hash": "x"}
            for i in range(300)
        ],
    )
    login_as("ig_officer")
    asset = make_asset(db)
    for url in ("/assets/", "/assets/new", f"/assets/{asset.id}/edit"):
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert "Bulk User" not in page, url
        assert page.count("<option") <= 12, url  # criticality, confirmation and sorts only
        assert len(page.encode()) < 60_000, url


def test_the_register_filters_by_a_typed_owner(client, login_as, db):
    login_as("auditor")
    nadia = make_user(db, name="Nadia Owner")
    make_asset(db, name="Housing records", owner=nadia)
    make_asset(db, name="Carers records", owner=make_user(db, name="Omar Other"))
    make_user(db, name="Nadia Nobody")  # owns no asset: not offered by the filter
    page = client.get("/assets/?owner_name=nadia").get_data(as_text=True)
    assert "Housing records" in page
    assert "Carers records" not in page
    assert f'<input type="hidden" name="owner" value="{nadia.id}">' in page
    assert client.get("/assets/owners/search?q=nadia").get_json() == [
        {"id": nadia.id, "name": f"Nadia Owner ({nadia.email})"}
    ]
    unknown = client.get("/assets/?owner_name=Zed").get_data(as_text=True)
    assert "No person matches \u201cZed\u201d" in unknown
    assert "Housing records" not in unknown


def test_suggestions_follow_the_pages_permissions(client, login_as):
    login_as("staff")
    assert client.get("/assets/owners/search?q=a").status_code == 403
    assert client.get("/assets/people/search?q=a").status_code == 403
    login_as("auditor")  # reads the register, cannot add assets
    assert client.get("/assets/owners/search?q=a").status_code == 200
    assert client.get("/assets/people/search?q=a").status_code == 403
