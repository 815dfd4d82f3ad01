"""The home page of one's own tasks, and the health check."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from ig import create_app
from ig.db import Database
from ig.feature import Task
from ig.features import FEATURES
from ig.home.service import list_tasks


@pytest.fixture
def own_tasks(app, monkeypatch):
    """A task source that gives each person a task naming them, and only them."""

    def source(_session, actor):
        if actor.user_id is None:
            return []
        return [Task(f"Task for {actor.label}", "auth.account", detail="Yours alone", count=3)]

    sources = app.extensions["ig.task_sources"]
    monkeypatch.setitem(app.extensions, "ig.task_sources", (*sources, source))
    return source


def test_home_needs_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=/"


def test_home_lists_only_ones_own_tasks(client, db, login_as, own_tasks):
    from tests import factories

    other = factories.make_user(db)
    me = login_as("staff")
    page = client.get("/")
    assert page.status_code == 200
    assert f"Task for {me.email}".encode() in page.data
    assert f"Task for {other.email}".encode() not in page.data
    assert b"Yours alone" in page.data
    assert b'href="/account"' in page.data


def test_home_without_tasks_says_so(app, client, login_as, monkeypatch):
    monkeypatch.setitem(app.extensions, "ig.task_sources", ())
    login_as("staff")
    assert b"You have nothing to do at the moment" in client.get("/").data


def test_home_refuses_someone_whose_roles_grant_nothing(client, login_as):
    login_as("retired_role")
    response = client.get("/")
    assert response.status_code == 403


def test_list_tasks_gathers_every_source_in_order(db):
    from ig.auth.rules import Actor

    first = [Task("one", "home.index")]
    second = [Task("two", "home.index"), Task("three", "home.index")]
    sources = [lambda _s, _a: first, lambda _s, _a: [], lambda _s, _a: second]
    assert [t.title for t in list_tasks(db, Actor(1, "x"), sources)] == ["one", "two", "three"]


def test_tasks_past_their_deadline_come_first_whichever_feature_gives_them(db):
    from ig.auth.rules import Actor

    first = [Task("set up", "home.index"), Task("late", "home.index", is_overdue=True)]
    second = [Task("due", "home.index"), Task("later", "home.index", is_overdue=True)]
    sources = [lambda _s, _a: first, lambda _s, _a: second]
    titles = [t.title for t in list_tasks(db, Actor(1, "x"), sources)]
    assert titles == ["late", "later", "set up", "due"]


def test_the_home_page_asks_every_features_task_sources_in_the_features_order(app):
    offered = [source for feature in FEATURES for source in feature.task_sources]
    assert list(app.extensions["ig.task_sources"]) == offered
    assert [f"{s.__module__}.{s.__name__}" for s in offered] == [
        "ig.auth.service.account_tasks",
        "ig.training.tasks.training_tasks",
        "ig.incidents.tasks.incident_tasks",
        "ig.caldicott.tasks.caldicott_tasks",
        "ig.sharing.tasks.sharing_tasks",
        "ig.dpia.tasks.dpia_tasks",
        "ig.assets.tasks.confirmation_tasks",
        "ig.contracts.tasks.contract_tasks",
        "ig.access.tasks.access_tasks",
        "ig.rights.tasks.rights_tasks",
        "ig.rights.tasks.search_tasks",
        "ig.risks.tasks.review_tasks",
        "ig.reminders.service.notification_tasks",
    ]


def test_health_check_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_health_check_reports_a_database_that_does_not_answer(settings, engine):
    def down():
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("database is down"))

    app = create_app(settings, Database(engine, session_factory=down))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "not answering"}
    assert "down" not in response.get_data(as_text=True)
