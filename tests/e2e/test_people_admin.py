"""Browser journey: an administrator adds a team under a service, is told a duplicate name
is taken, and makes a user its manager; axe checks every page."""

from __future__ import annotations

import uuid

import pytest

from ig.auth.rules import SYSTEM
from ig.people.hierarchy import create_team
from ig.people.models import TeamKind
from tests.e2e.conftest import OpenPage
from tests.e2e.server import LiveServer

pytestmark = pytest.mark.e2e


def test_administrator_adds_a_team_and_its_manager(
    live_server: LiveServer, open_page: OpenPage
) -> None:
    tag = uuid.uuid4().hex[:6]
    with live_server.database.session_scope() as session:
        top = create_team(session, SYSTEM, f"Adult Social Care {tag}", TeamKind.DIRECTORATE)
        service = create_team(session, SYSTEM, f"Adults East {tag}", TeamKind.SERVICE, top)
        create_team(session, SYSTEM, f"Duty {tag}", TeamKind.TEAM, service)
    admin = live_server.create_user("administrator", two_factor=True)
    manager = live_server.create_user("manager", name=f"Mo Manager {tag}")
    page = open_page()
    page.sign_in(admin)
    page.click_link("Admin")  # the menu's section; Staff is one of its pages
    page.click_link("Staff")
    page.click_link("Teams and their managers")
    page.click_link("Add a team")

    page.fill("Name", f"duty {tag}")
    page.page.get_by_label("Team", exact=True).check()
    page.pick("Where it sits (the unit above it)", f"adults east {tag}", f"Adults East {tag}")
    page.submit("Add team", status=422)
    assert f"There is already a team called duty {tag} under Adults East {tag}" in (
        page.page.inner_text(".govuk-error-summary")
    )

    page.fill("Name", f"Reviews {tag}")
    page.submit("Add team")
    assert page.heading == f"Reviews {tag}"
    assert f"Adult Social Care {tag} / Adults East {tag}" in page.page.inner_text("main")

    page.click_link("Add a manager")
    page.pick("User account of the new manager", manager.name, f"{manager.name} ({manager.email})")
    page.submit("Add manager")
    main = page.page.inner_text("main")
    assert f"{manager.name} now manages Reviews {tag} and every team below it" in main
    assert manager.email in main
