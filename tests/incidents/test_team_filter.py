"""The incident register's team filter: a search field, never every team."""

from __future__ import annotations

from sqlalchemy import insert

from ig.db import utcnow
from ig.people.models import Team, TeamKind
from tests import factories
from tests.incidents.conftest import report
from tests.queries import statements_for_get


def _register(client, login_as, db, **args):
    login_as("ig_officer")
    db.commit()
    response = client.get("/incidents/", query_string=args)
    return response.status_code, response.get_data(as_text=True)


def _two_teams(db, make_actor, policy):
    reporter = make_actor("staff")
    north = factories.make_team(db, name="Adults North")
    south = factories.make_team(db, name="Adults South")
    return report(db, reporter, policy, north, utcnow()), report(
        db, reporter, policy, south, utcnow()
    )


def test_a_typed_team_filters_the_register(client, login_as, db, make_actor, policy):
    north, south = _two_teams(db, make_actor, policy)
    status, page = _register(client, login_as, db, team_name="adults north")
    assert status == 200
    assert north.reference in page
    assert south.reference not in page
    assert f'<input type="hidden" name="team_id" value="{north.team_id}">' in page


def test_a_link_with_the_team_id_still_filters(client, login_as, db, make_actor, policy):
    north, south = _two_teams(db, make_actor, policy)
    _status, page = _register(client, login_as, db, team_id=south.team_id)
    assert south.reference in page
    assert north.reference not in page
    assert 'value="Adults South"' in page


def test_an_ambiguous_team_offers_its_matches(client, login_as, db, make_actor, policy):
    north, south = _two_teams(db, make_actor, policy)
    _status, page = _register(client, login_as, db, team_name="adults")
    assert "2 match adults: choose the team you mean" in page
    assert f'name="team_id" type="radio" value="{south.team_id}"' in page
    assert north.reference not in page
    _status, page = _register(client, login_as, db, team_name="adults", team_id=south.team_id)
    assert south.reference in page
    assert north.reference not in page


def test_an_unknown_team_says_so_without_a_server_error(client, login_as, db):
    status, page = _register(client, login_as, db, team_name="Nowhere")
    assert status == 200
    assert "No team matches \u201cNowhere" in page
    assert _register(client, login_as, db, team_id="x")[0] == 200


def test_the_register_never_lists_every_team(client, login_as, db):
    db.execute(
        insert(Team),
        [{"name": f"Locality {i:04d}", "kind": TeamKind.TEAM, "path": "/"} for i in range(2000)],
    )
    _status, page = _register(client, login_as, db)
    assert "Locality 0000" not in page
    assert "/people/teams/search" in page
    url = "/incidents/?team_name=Locality+0001"
    few = _queries(client, login_as, db, url)
    db.execute(
        insert(Team),
        [{"name": f"Hub {i:04d}", "kind": TeamKind.TEAM, "path": "/"} for i in range(500)],
    )
    assert _queries(client, login_as, db, url) == few


def _queries(client, login_as, db, url):
    login_as("ig_officer")
    db.commit()
    client.get(url)  # warm up (sign-in checks, caches)
    return statements_for_get(db.get_bind().engine, client, url)
