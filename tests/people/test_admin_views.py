"""The team administration pages: who may use them, and that each refusal (CSRF, bad
input, a cycle, a stale form) is said clearly and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from ig.audit.models import AuditEntry
from ig.auth.models import User
from ig.auth.rules import SYSTEM
from ig.people import hierarchy
from ig.people.models import Team, TeamKind, TeamManager
from tests.factories import make_user
from tests.queries import statements_for_get


@pytest.fixture
def tree(db):
    council = hierarchy.create_team(db, SYSTEM, "Council", TeamKind.DIRECTORATE)
    adults = hierarchy.create_team(db, SYSTEM, "Adults", TeamKind.SERVICE, council)
    east = hierarchy.create_team(db, SYSTEM, "East", TeamKind.TEAM, adults)
    duty = hierarchy.create_team(db, SYSTEM, "East Duty", TeamKind.TEAM, east)
    children = hierarchy.create_team(db, SYSTEM, "Children", TeamKind.SERVICE, council)
    db.commit()
    return {t.name: t for t in (council, adults, east, duty, children)}


@pytest.fixture
def admin(login_as, db):
    user = login_as("administrator")
    db.commit()
    return user


def snapshot(db) -> tuple:
    """Everything these pages can change: teams, managers and the audit trail's length."""
    db.expire_all()
    teams = sorted(db.execute(select(Team.id, Team.name, Team.parent_id, Team.path)).all())
    managers = sorted(db.execute(select(TeamManager.team_id, TeamManager.user_id)).all())
    return teams, managers, db.scalar(select(func.count()).select_from(AuditEntry))


def last_audit(db) -> AuditEntry:
    return db.scalar(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))


def urls(tree) -> list[str]:
    east = tree["East"].id
    return [
        "/people/teams/new",
        f"/people/teams/{east}/rename",
        f"/people/teams/{east}/move",
        f"/people/teams/{east}/managers/new",
    ]


def test_anonymous_is_sent_to_sign_in(client, db, tree):
    db.commit()
    for url in [*urls(tree), f"/people/teams/{tree['East'].id}"]:
        assert client.get(url).status_code == 302


@pytest.mark.parametrize("role", ["manager", "staff", "auditor", "siro"])
def test_roles_without_people_manage_are_refused(client, login_as, db, tree, role):
    user = login_as(role)
    east = tree["East"]
    hierarchy.add_team_manager(db, SYSTEM, east, user.id)  # even managing the team
    db.commit()
    before = snapshot(db)
    for url in urls(tree):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data={"name": "X", "kind": "team"}).status_code == 403, url
    remove = f"/people/teams/{east.id}/managers/{user.id}/remove"
    assert client.post(remove).status_code == 403
    assert snapshot(db) == before


def test_the_auditor_sees_a_team_but_no_buttons(client, login_as, db, tree):
    login_as("auditor")
    db.commit()
    page = client.get(f"/people/teams/{tree['East'].id}")
    assert page.status_code == 200
    assert b"Council / Adults" in page.data
    assert b"Add a manager" not in page.data
    assert b"/rename" not in page.data
    assert b"Add a team" not in client.get("/people/teams").data


def test_the_teams_page_links_to_the_administration(client, admin, tree):
    page = client.get("/people/teams").data.decode()
    assert 'href="/people/teams/new"' in page
    assert f'href="/people/teams/{tree["East"].id}"' in page
    team = client.get(f"/people/teams/{tree['East'].id}").data.decode()
    for link in urls(tree)[1:]:
        assert f'href="{link}"' in team
    assert f'href="/people/teams/new?parent={tree["East"].id}"' in team


def test_an_unknown_team_is_not_found(client, admin):
    assert client.get("/people/teams/999999").status_code == 404
    assert client.get("/people/teams/999999/move").status_code == 404


def test_create_a_team(client, admin, db, tree):
    adults = tree["Adults"]
    form = client.get(f"/people/teams/new?parent={adults.id}").data.decode()
    assert 'name="parent_name" type="text" value="Adults"' in form
    assert f'<input type="hidden" name="parent_id" value="{adults.id}">' in form
    assert "/people/teams/search" in form
    response = client.post(
        "/people/teams/new",
        data={"name": "West", "kind": "team", "parent_name": "Adults", "parent_id": str(adults.id)},
    )
    assert response.status_code == 302
    db.expire_all()
    west = db.scalar(select(Team).where(Team.name == "West"))
    assert response.headers["Location"] == f"/people/teams/{west.id}"
    assert west.path == f"{adults.path}{west.id}/"
    assert (last_audit(db).action, last_audit(db).actor_id) == ("team.created", admin.id)
    assert b"West is added" in client.get(response.headers["Location"]).data


def test_create_at_the_top(client, admin, db):
    response = client.post(
        "/people/teams/new", data={"name": "Resources", "kind": "directorate", "parent_name": ""}
    )
    assert response.status_code == 302
    db.expire_all()
    team = db.scalar(select(Team).where(Team.name == "Resources"))
    assert (team.parent_id, team.path) == (None, f"/{team.id}/")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "kind": "team"}, "Enter the team&#39;s name"),
        ({"name": "x" * 201, "kind": "team"}, "Enter a name of 200 characters or fewer"),
        ({"name": "New"}, "Select whether it is a directorate, a service or a team"),
        ({"name": "New", "kind": "branch"}, "Not a valid choice"),
        ({"name": "east", "kind": "team", "parent": "Adults"}, "already a team called east"),
        ({"name": "New", "kind": "directorate", "parent": "Adults"}, "A directorate can only"),
        ({"name": "New", "kind": "team", "parent_id": "999999"}, "That team no longer exists"),
        ({"name": "New", "kind": "team", "parent_id": "x"}, "That team no longer exists"),
        ({"name": "New", "kind": "team", "parent_name": "Nowhere"}, "No team matches"),
        ({"name": "New", "kind": "team", "parent_name": "ea"}, "2 match ea: choose the team"),
        ({"name": "New", "kind": "team", "parent_name": "a" * 201}, "200 characters"),
    ],
)
def test_create_refusals_change_nothing(client, admin, db, tree, data, message):
    data = dict(data)
    if "parent" in data:
        data["parent_id"] = str(tree[data.pop("parent")].id)
    before = snapshot(db)
    response = client.post("/people/teams/new", data=data)
    assert response.status_code == 422
    assert message in response.data.decode()
    assert b"govuk-error-summary" in response.data
    assert snapshot(db) == before


def test_csrf_is_required(client, admin, db, tree):
    east = tree["East"]
    manager = make_user(db)
    hierarchy.add_team_manager(db, SYSTEM, east, manager.id)
    db.commit()
    before = snapshot(db)
    posts = {
        "/people/teams/new": {"name": "New", "kind": "team"},
        f"/people/teams/{east.id}/rename": {"name": "New", "version": str(east.version)},
        f"/people/teams/{east.id}/move": {"parent_id": "", "version": str(east.version)},
        f"/people/teams/{east.id}/managers/new": {"user_id": str(admin.id)},
        f"/people/teams/{east.id}/managers/{manager.id}/remove": {},
    }
    for url, data in posts.items():
        assert client.post(url, data=data, csrf=False).status_code == 400, url
    assert snapshot(db) == before


def test_rename(client, admin, db, tree):
    east = tree["East"]
    form = client.get(f"/people/teams/{east.id}/rename").data.decode()
    assert f'name="version" type="hidden" value="{east.version}"' in form
    response = client.post(
        f"/people/teams/{east.id}/rename", data={"name": "Adults East", "version": east.version}
    )
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Team, east.id).name == "Adults East"
    assert last_audit(db).action == "team.renamed"


def test_rename_refusals(client, admin, db, tree):
    east = tree["East"]
    url = f"/people/teams/{east.id}/rename"
    hierarchy.create_team(db, SYSTEM, "West", TeamKind.TEAM, tree["Adults"])
    db.commit()
    before = snapshot(db)
    taken = client.post(url, data={"name": "WEST", "version": east.version})
    assert taken.status_code == 422
    assert b"There is already a team called WEST beside it" in taken.data
    stale = client.post(url, data={"name": "Elsewhere", "version": east.version - 1})
    assert stale.status_code == 409
    assert b"Someone else changed this record" in stale.data
    assert client.post(url, data={"name": "Elsewhere"}).status_code == 422  # no version
    assert snapshot(db) == before


def test_move(client, admin, db, tree):
    east, children = tree["East"], tree["Children"]
    form = client.get(f"/people/teams/{east.id}/move").data.decode()
    # Where it is now, as a typed name; never a list of every team.
    assert 'name="parent_name" type="text" value="Adults"' in form
    assert f'<input type="hidden" name="parent_id" value="{tree["Adults"].id}">' in form
    assert "<option" not in form
    response = client.post(
        f"/people/teams/{east.id}/move",
        data={"parent_name": "children", "version": str(east.version)},
    )
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Team, tree["East Duty"].id).path.startswith(children.path)
    assert last_audit(db).detail["teams_moved"] == 2
    assert b"East and the team below it moved" in client.get(response.headers["Location"]).data


@pytest.mark.parametrize("target", ["East", "East Duty"])
def test_move_under_itself_or_below_is_refused(client, admin, db, tree, target):
    east = tree["East"]
    before = snapshot(db)
    response = client.post(
        f"/people/teams/{east.id}/move",
        data={"parent_id": str(tree[target].id), "version": str(east.version)},
    )
    assert response.status_code == 422
    assert b"East cannot move under itself or a team below it" in response.data
    assert snapshot(db) == before


def test_move_with_a_stale_form_is_refused(client, admin, db, tree):
    east = tree["East"]
    loaded = east.version
    hierarchy.rename_team(db, SYSTEM, east, "Adults East", loaded)  # someone else saves first
    db.commit()
    before = snapshot(db)
    response = client.post(
        f"/people/teams/{east.id}/move", data={"parent_id": "", "version": str(loaded)}
    )
    assert response.status_code == 409
    assert b"reload the page" in response.data
    assert snapshot(db) == before


def test_move_to_where_it_is_says_nothing_changed(client, admin, db, tree):
    east = tree["East"]
    before = snapshot(db)
    response = client.post(
        f"/people/teams/{east.id}/move",
        data={"parent_id": str(tree["Adults"].id), "version": str(east.version)},
        follow_redirects=True,
    )
    assert b"Nothing changed: East was already there" in response.data
    assert snapshot(db) == before


def test_add_and_remove_managers(client, admin, db, tree):
    east = tree["East"]
    ann = make_user(db, name="Ann Manager", roles=("manager",))
    db.commit()
    url = f"/people/teams/{east.id}/managers/new"
    assert "<option" not in client.get(url).data.decode()
    suggested = client.get(f"{url[: -len('new')]}search?q=ann").get_json()
    assert suggested == [{"id": ann.id, "name": f"Ann Manager ({ann.email})"}]
    added = client.post(url, data={"user_name": "ann manager"}, follow_redirects=True)
    assert b"Ann Manager now manages East and every team below it" in added.data
    assert b'Remove<span class="govuk-visually-hidden"> Ann Manager as a manager' in added.data
    assert last_audit(db).action == "team.manager_added"
    # Already a manager: no longer suggested, and refused if sent anyway.
    assert client.get(f"{url[: -len('new')]}search?q=ann").get_json() == []
    before = snapshot(db)
    again = client.post(url, data={"user_name": ann.email.upper(), "user_id": str(ann.id)})
    assert again.status_code == 422
    assert b"Ann Manager already manages East" in again.data
    assert snapshot(db) == before
    removed = client.post(
        f"/people/teams/{east.id}/managers/{ann.id}/remove", follow_redirects=True
    )
    assert b"Ann Manager no longer manages East" in removed.data
    assert b"Nobody manages this team itself" in removed.data  # the last one may go
    assert last_audit(db).action == "team.manager_removed"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"user_id": ""}, "Enter the new manager&#39;s name or e-mail address"),
        ({"user_name": " "}, "Enter the new manager&#39;s name or e-mail address"),
        ({"user_id": "abc"}, "That person no longer exists"),
        ({"user_id": "999999"}, "That person no longer exists"),
        ({"user_name": "Nobody Known"}, "No person matches \u201cNobody Known\u201d"),
        ({"user_name": "twin"}, "2 match twin: choose the person you mean"),
        ({"user_name": "retired"}, "No person matches"),  # disabled accounts are not offered
    ],
)
def test_add_manager_needs_one_real_account(client, admin, db, tree, data, message):
    make_user(db, name="Twin One")
    make_user(db, name="Twin Two")
    retired = make_user(db, name="Retired Manager")
    retired.is_active = False
    db.commit()
    before = snapshot(db)
    response = client.post(f"/people/teams/{tree['East'].id}/managers/new", data=data)
    assert response.status_code == 422
    assert message in response.data.decode()
    assert snapshot(db) == before


def test_manager_suggestions_need_the_right_to_manage_teams(client, login_as, db, tree):
    login_as("manager")
    db.commit()
    url = f"/people/teams/{tree['East'].id}/managers/search?q=a"
    assert client.get(url).status_code == 403
    assert client.get("/people/teams/999999/managers/search?q=a").status_code in (403, 404)


def test_removing_someone_who_is_not_a_manager_is_not_found(client, admin, db, tree):
    before = snapshot(db)
    response = client.post(f"/people/teams/{tree['East'].id}/managers/{admin.id}/remove")
    assert response.status_code == 404
    assert b"does not manage East" in response.data
    assert snapshot(db) == before


def test_the_pages_make_no_query_per_team_or_manager(client, admin, db, engine, tree):
    east = tree["East"]
    pages = [
        "/people/teams",
        f"/people/teams/{east.id}",
        f"/people/teams/{east.id}/move",
        f"/people/teams/{east.id}/managers/new",
        "/people/teams/new",
    ]
    hierarchy.add_team_manager(db, SYSTEM, east, make_user(db).id)
    db.commit()
    few = [statements_for_get(engine, client, page) for page in pages]
    for number in range(15):
        team = hierarchy.create_team(db, SYSTEM, f"More {number}", TeamKind.TEAM, tree["Children"])
        hierarchy.add_team_manager(db, SYSTEM, team, make_user(db).id)
        hierarchy.add_team_manager(db, SYSTEM, east, make_user(db).id)
    db.commit()
    assert [statements_for_get(engine, client, page) for page in pages] == few


def test_team_pages_never_list_every_team_or_user(client, admin, db, tree):
    db.execute(
        insert(Team),
        [{"name": f"Locality {i:04d}", "kind": TeamKind.TEAM, "path": "/"} for i in range(300)],
    )
    db.execute(
        insert(User),
        [
            {"email": f"bulk{i}@council.test", "name": f"Bulk User {i:04d}", "password_hash": "x"}
            for i in range(300)
        ],
    )
    db.commit()
    east = tree["East"]
    for url in (
        "/people/teams/new",
        f"/people/teams/{east.id}/move",
        f"/people/teams/{east.id}/managers/new",
    ):
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert "Locality 0000" not in page, url
        assert "Bulk User" not in page, url
        assert "<option" not in page, url
        assert len(page.encode()) < 40_000, url
