"""A notice's owner and the register's owner filter: pickers, never a list of every user."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from ig.auth.models import User
from ig.notices.models import PrivacyNotice
from tests.factories import make_notice, make_user
from tests.notices.test_views import NEW_NOTICE


def _count(db):
    db.expire_all()
    return db.scalar(select(func.count()).select_from(PrivacyNotice))


def test_a_typed_owner_is_saved(client, login_as, db):
    login_as("ig_officer")
    owner = make_user(db, name="Nadia Owner", email="nadia@council.test")
    response = client.post("/notices/new", data={**NEW_NOTICE, "owner_name": "nadia owner"})
    assert response.status_code == 302, response.get_data(as_text=True)
    notice = db.scalar(select(PrivacyNotice))
    assert notice.owner_user_id == owner.id


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the notice&#39;s owner"),
        ("Nobody Known", "No person matches \u201cNobody Known\u201d: check the spelling"),
        ("lee", "2 match lee: choose the person you mean"),
        ("Gone Owner", "No person matches"),  # a disabled account is not offered
    ],
)
def test_an_owner_that_is_not_one_active_user_saves_nothing(client, login_as, db, typed, message):
    login_as("ig_officer")
    make_user(db, name="Lee One")
    make_user(db, name="Lee Two")
    make_user(db, name="Gone Owner", is_active=False)
    response = client.post("/notices/new", data={**NEW_NOTICE, "owner_name": typed})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(db) == 0


def test_editing_shows_the_current_owner_and_changes_it_by_name(client, login_as, db):
    login_as("ig_officer")
    owner = make_user(db, name="Nadia Owner", email="nadia@council.test")
    notice = make_notice(db, owner=owner)
    page = client.get(f"/notices/{notice.id}/edit").get_data(as_text=True)
    assert 'value="Nadia Owner (nadia@council.test)"' in page
    assert f'<input type="hidden" name="owner_user_id" value="{owner.id}">' in page
    other = make_user(db, name="Omar Other")
    data = {
        "version": str(notice.version),
        "title": notice.title,
        "owner_name": "omar other",
        "owner_user_id": str(owner.id),  # stale: the typed name decides
        "published_url": notice.published_url,
        "audience": "public",
        "processing": notice.processing,
    }
    assert client.post(f"/notices/{notice.id}/edit", data=data).status_code == 302
    db.expire_all()
    assert db.get(PrivacyNotice, notice.id).owner_user_id == other.id
    unknown = client.post(f"/notices/{notice.id}/edit", data={**data, "owner_name": "Nobody"})
    assert unknown.status_code == 422
    db.expire_all()
    assert db.get(PrivacyNotice, notice.id).owner_user_id == other.id


def test_pages_never_list_every_user(client, login_as, db):
    db.execute(
        insert(User),
        [
            {"email": f"bulk{i}@council.test", "name": f"Bulk User {i:04d}", "password_hash": "x"}
            for i in range(300)
        ],
    )
    login_as("ig_officer")
    notice = make_notice(db)
    for url in ("/notices/", "/notices/new", f"/notices/{notice.id}/edit"):
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert "Bulk User" not in page, url
        assert page.count("<option") <= 30, url  # services, states and sorts only
        assert len(page.encode()) < 60_000, url


def test_the_register_filters_by_a_typed_owner(client, login_as, db):
    login_as("manager")
    nadia = make_user(db, name="Nadia Owner")
    make_notice(db, title="Housing notice", owner=nadia)
    make_notice(db, title="Carers notice", owner=make_user(db, name="Omar Other"))
    make_user(db, name="Nadia Nobody")  # owns no notice: not offered by the filter
    page = client.get("/notices/?owner_name=nadia").get_data(as_text=True)
    assert "Housing notice" in page
    assert "Carers notice" not in page
    assert f'<input type="hidden" name="owner" value="{nadia.id}">' in page
    assert client.get("/notices/owners/search?q=nadia").get_json() == [
        {"id": nadia.id, "name": f"Nadia Owner ({nadia.email})"}
    ]
    unknown = client.get("/notices/?owner_name=Zed").get_data(as_text=True)
    assert "No person matches \u201cZed\u201d" in unknown
    assert "Housing notice" not in unknown


def test_suggestions_follow_the_pages_permissions(client, login_as, db):
    login_as("staff")
    assert client.get("/notices/owners/search?q=a").status_code == 403
    assert client.get("/notices/people/search?q=a").status_code == 403
    login_as("manager")  # reads the register, cannot add notices
    assert client.get("/notices/owners/search?q=a").status_code == 200
    assert client.get("/notices/people/search?q=a").status_code == 403
