"""The pickers' JSON suggestions: signed in, permission-checked, bounded, ids and names only."""

from __future__ import annotations

from sqlalchemy import insert

from ig.people.models import Organisation, OrganisationKind
from tests import factories

ORGANISATIONS = "/people/organisations/search"
TEAMS = "/people/teams/search"


def test_suggestions_need_sign_in(client):
    response = client.get(f"{ORGANISATIONS}?q=camden")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_organisation_suggestions_are_ids_and_names_only(client, login_as, db):
    camden = factories.make_organisation(
        db, name="London Borough of Camden", kind="other", dpo_contact="dpo@camden.test"
    )
    login_as("staff")
    db.commit()
    response = client.get(f"{ORGANISATIONS}?q=camden")
    assert response.status_code == 200
    assert response.get_json() == [{"id": camden.id, "name": "London Borough of Camden"}]
    assert "no-store" in response.headers["Cache-Control"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_suggestions_are_limited(client, login_as, db):
    db.execute(
        insert(Organisation),
        [{"name": f"Provider {i:04d}", "kind": OrganisationKind.PROVIDER} for i in range(200)],
    )
    login_as("ig_officer")
    db.commit()
    assert len(client.get(f"{ORGANISATIONS}?q=provider").get_json()) == 20
    assert client.get(f"{ORGANISATIONS}").get_json() == []


def test_over_long_search_text_is_refused_without_a_server_error(client, login_as, db):
    login_as("staff")
    db.commit()
    response = client.get(ORGANISATIONS, query_string={"q": "a" * 201})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    # The request bounds refuse a NUL in any query string before the view runs.
    assert client.get(ORGANISATIONS, query_string={"q": "camden\x00"}).status_code == 400


def test_team_suggestions_are_ids_and_names_for_anyone_signed_in(client, login_as, db):
    north = factories.make_team(db, name="Adults North")
    south = factories.make_team(db, name="Adults South")
    login_as("staff")
    db.commit()
    assert client.get(f"{TEAMS}?q=adults").get_json() == [
        {"id": north.id, "name": "Adults North"},
        {"id": south.id, "name": "Adults South"},
    ]


def test_team_suggestions_need_sign_in(client):
    assert client.get(f"{TEAMS}?q=adults").status_code == 302
