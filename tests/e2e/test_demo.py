"""The demo borough loads on each database, and every role's pages pass the checks with it."""

from __future__ import annotations

import pytest

from ig.demo import DEMO_USERS, demo_logins, load_demo
from tests.conftest import BACKENDS
from tests.e2e.browser import BrowserPage
from tests.e2e.conftest import OpenPage
from tests.e2e.server import LiveServer
from tests.e2e.test_every_page import ROLES as WALKED

pytestmark = pytest.mark.e2e


def test_demo_loads_once_and_every_role_can_use_its_pages(
    open_page: OpenPage, live_server: LiveServer
) -> None:
    with live_server.database.session_scope() as session:
        assert load_demo(session, live_server.policies) is True
    with live_server.database.session_scope() as session:
        assert load_demo(session, live_server.policies, only_if_empty=True) is False
        logins = demo_logins(session, live_server.policies)
    assert [login.email for login in logins] == [email for email, _name, _roles in DEMO_USERS]
    assert {login.roles[0] for login in logins if login.two_factor} == {
        "ig_officer",
        "caldicott_guardian",
        "deputy_caldicott_guardian",
        "siro",
        "manager",
        "auditor",
        "administrator",
        "information_rights_officer",
    }

    # Every demo user signs in to their tasks. The pages in the navigation of the roles
    # the every-page walk does not take (the deputy Guardian, the information rights
    # officer) are opened here, once each, on the first database only: axe-core on pages
    # full of demo data is slow, and each feature's view tests already render these pages
    # on every database.
    if live_server.backend != BACKENDS[0]:
        return
    visited: set[str] = set()
    for login in logins:
        page: BrowserPage = open_page()
        page.sign_in_quickly(live_server.existing_user(login.email, login.password))
        assert page.heading == "Your tasks", login.email
        if login.roles[0] not in WALKED:
            links = page.page.get_by_role("navigation", name="Menu").get_by_role("link")
            for href in [link.get_attribute("href") or "" for link in links.all()]:
                if href not in visited:
                    visited.add(href)
                    page.goto(href)
        page.page.context.close()
    assert len(visited) >= 5
