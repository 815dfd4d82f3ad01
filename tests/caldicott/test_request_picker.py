"""The request form's organisation: typed into a picker, never a list of every partner."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from ig.caldicott.models import CaldicottRequest
from ig.people.models import Organisation, OrganisationKind
from tests import factories
from tests.caldicott.test_views import _request_form

NEW = "/caldicott/requests/new"


def _typed(name, organisation_id=""):
    data = _request_form("", organisation_name=name)
    data["organisation_id"] = str(organisation_id)
    return data


def _count(db):
    db.expire_all()
    return db.scalar(select(func.count()).select_from(CaldicottRequest))


def test_a_typed_name_or_code_raises_the_request_for_that_organisation(client, login_as, db):
    login_as("staff")
    kent = factories.make_organisation(db, name="Kent Police", kind="police", code="Q45")
    factories.make_organisation(db, name="Kent County Council", kind="other")
    db.commit()
    response = client.post(NEW, data=_typed("kent police"))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.scalar(select(CaldicottRequest)).organisation_id == kent.id
    assert client.post(NEW, data=_typed("q45")).status_code == 302
    assert _count(db) == 2


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the organisation asking"),
        ("   ", "Enter the organisation asking"),
        ("Nowhere Trust", "No organisation matches \u201cNowhere Trust\u201d: check the spelling"),
        ("kent", "2 match kent: choose the organisation you mean"),
        ("k" * 201, "200 characters"),
    ],
)
def test_a_name_that_is_not_one_organisation_saves_nothing(client, login_as, db, typed, message):
    login_as("staff")
    factories.make_organisation(db, name="Kent Police", kind="police")
    factories.make_organisation(db, name="Kent County Council", kind="other")
    db.commit()
    response = client.post(NEW, data=_typed(typed))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'href="#organisation_name"' in page  # the error summary links to the field
    assert _count(db) == 0


def test_the_choice_among_matches_is_offered_and_then_saved(client, login_as, db):
    login_as("staff")
    police = factories.make_organisation(db, name="Kent Police", kind="police")
    factories.make_organisation(db, name="Kent County Council", kind="other")
    db.commit()
    page = client.post(NEW, data=_typed("kent")).get_data(as_text=True)
    assert f'name="organisation_id" type="radio" value="{police.id}"' in page
    assert 'value="DC Jane Rivers"' in page  # the rest of the form is kept
    response = client.post(NEW, data=_typed("kent", police.id))
    assert response.status_code == 302
    assert db.scalar(select(CaldicottRequest)).organisation_id == police.id


def test_a_stale_or_forged_id_does_not_override_the_typed_name(client, login_as, db):
    login_as("staff")
    police = factories.make_organisation(db, name="Kent Police", kind="police")
    other = factories.make_organisation(db, name="Surrey Police", kind="police")
    db.commit()
    assert client.post(NEW, data=_typed("kent police", other.id)).status_code == 302
    assert db.scalar(select(CaldicottRequest)).organisation_id == police.id


def test_the_form_never_lists_every_organisation(client, login_as, db):
    db.execute(
        insert(Organisation),
        [{"name": f"Partner trust {i:04d}", "kind": OrganisationKind.PROVIDER} for i in range(300)],
    )
    login_as("staff")
    db.commit()
    response = client.get(NEW)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Partner trust 0000" not in page
    assert page.count("<option") <= 10  # how the request arrived, not the partners
    assert len(page.encode()) < 40_000
    assert "/people/organisations/search" in page
