"""An action's owner: typed into a picker, never a list of every user."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from ig.auth.models import User
from ig.db import utcnow
from ig.incidents.action_models import IncidentAction
from tests import factories
from tests.incidents.conftest import breach

SEARCH = "/incidents/owners/search"


@pytest.fixture
def incident(db, reporter, officer, policy, team):
    return breach(db, reporter, officer, policy, team, utcnow())


def _action(url, client, owner_name, owner_id=""):
    data = {
        "description": "Redaction refresher",
        "owner_name": owner_name,
        "owner_id": str(owner_id),
        "due_on": ["1", "12", "2030"],
        "course_code": "",
    }
    return client.post(f"/incidents/{url}/actions/new", data=data)


def _actions(db):
    db.expire_all()
    return db.scalars(select(IncidentAction)).all()


def test_a_typed_name_or_address_is_the_owner(client, login_as, db, incident):
    login_as("ig_officer")
    owner = factories.make_user(db, name="Priya Owner", email="priya.owner@council.test")
    db.commit()
    response = _action(incident.reference, client, "priya owner")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert [a.owner_id for a in _actions(db)] == [owner.id]
    assert _action(incident.reference, client, "PRIYA.OWNER@council.test").status_code == 302


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter who owns the action"),
        ("Nobody Known", "No person matches \u201cNobody Known\u201d: check the spelling"),
        ("sam", "2 match sam: choose the person you mean"),
        ("Left Already", "No person matches"),  # a disabled account is not offered
    ],
)
def test_an_owner_that_is_not_one_active_user_saves_nothing(
    client, login_as, db, incident, typed, message
):
    login_as("ig_officer")
    factories.make_user(db, name="Sam One")
    factories.make_user(db, name="Sam Two")
    factories.make_user(db, name="Left Already", is_active=False)
    db.commit()
    response = _action(incident.reference, client, typed)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _actions(db) == []


def test_the_choice_among_namesakes_is_saved(client, login_as, db, incident):
    login_as("ig_officer")
    factories.make_user(db, name="Sam Jones", email="sam.jones1@council.test")
    second = factories.make_user(db, name="Sam Jones", email="sam.jones2@council.test")
    db.commit()
    page = _action(incident.reference, client, "sam jones").get_data(as_text=True)
    assert "Sam Jones (sam.jones2@council.test)" in page  # the radios tell them apart
    assert _action(incident.reference, client, "sam jones", second.id).status_code == 302
    assert [a.owner_id for a in _actions(db)] == [second.id]


def test_the_form_never_lists_every_user(client, login_as, db, incident):
    db.execute(
        insert(User),
        [
            {"email": f"bulk{i}@council.test", "name": f"Bulk User {i:04d}", "password_hash": "x"}
            for i in range(300)
        ],
    )
    login_as("ig_officer")
    db.commit()
    response = client.get(f"/incidents/{incident.reference}/actions/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bulk User" not in page
    assert page.count("<option") <= 20  # the training courses, not the users
    assert len(page.encode()) < 40_000
    assert SEARCH in page


def test_owner_suggestions_are_for_those_who_add_actions(client, login_as, db):
    owner = factories.make_user(db, name="Priya Owner", email="priya.owner@council.test")
    factories.make_user(db, name="Priya Gone", is_active=False)
    login_as("staff")
    db.commit()
    assert client.get(f"{SEARCH}?q=priya").status_code == 403
    login_as("ig_officer")
    db.commit()
    assert client.get(f"{SEARCH}?q=priya").get_json() == [
        {"id": owner.id, "name": "Priya Owner (priya.owner@council.test)"}
    ]
    assert client.get(SEARCH, query_string={"q": "p" * 201}).status_code == 422
    assert db.scalar(select(func.count()).select_from(IncidentAction)) == 0
