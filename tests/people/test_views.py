"""Staff register and teams pages."""

from __future__ import annotations

import pytest

from ig.people.models import TeamManager
from tests.factories import make_staff, make_team, make_user


@pytest.fixture
def register(db):
    team = make_team(db, name="Adults East")
    make_staff(db, team, name="Pat Stayer", staff_number="E1")
    make_user(db, roles=("manager",), name="Mo Manager")
    db.add(TeamManager(team_id=team.id, user_id=make_user(db, name="Mo Manager").id))
    db.commit()
    return team


def test_anonymous(client):
    assert client.get("/people/").status_code == 302


def test_wrong_role(client, login_as, db):
    login_as("manager")
    db.commit()
    assert client.get("/people/").status_code == 403
    assert client.get("/people/teams").status_code == 403


def test_register_and_search(client, login_as, db, register):
    login_as("ig_officer")
    db.commit()
    page = client.get("/people/?q=pat")
    assert page.status_code == 200
    assert b"Pat Stayer" in page.data
    assert b"Pat Stayer" not in client.get("/people/?q=zzz").data


def test_search_too_long_is_refused(client, login_as, db, register):
    login_as("ig_officer")
    db.commit()
    page = client.get("/people/?q=" + "x" * 101)
    assert b"Field cannot be longer than 100 characters" in page.data


def test_teams_page_lists_managers(client, login_as, db, register):
    login_as("administrator")
    db.commit()
    page = client.get("/people/teams")
    assert b"Adults East" in page.data
    assert b"Mo Manager" in page.data
