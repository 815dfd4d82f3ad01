"""Browser journey: a member of staff asks for access to a system, their line manager
approves it from their home page, and the system's owner records it granted; then a
quarter passes (the reminder pass runs at a chosen instant) without recertification,
and the manager's reminder arrives; then the member of staff leaves, and the owner is
asked to remove the access and records it removed. axe-core checks every page."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

import pytest

from ig.auth.models import User
from ig.auth.rules import Actor
from ig.db import london_today, utcnow
from ig.people.hierarchy import add_team_manager
from ig.people.models import Staff
from ig.reminders.engine import run_pass
from tests.e2e.browser import BrowserPage
from tests.e2e.server import LiveServer
from tests.factories import make_asset, make_team

pytestmark = pytest.mark.e2e
SYSTEM = Actor(None, "e2e", frozenset(), frozenset())


def test_staff_ask_the_manager_approves_and_the_owner_grants(
    browser_page: BrowserPage, live_server: LiveServer, open_page: Callable[..., BrowserPage]
) -> None:
    tag = uuid.uuid4().hex[:6]
    asker = live_server.create_user("staff", name=f"Priya Shah {tag}")
    manager = live_server.create_user("manager")
    owner = live_server.create_user("manager")
    asset = f"Adult case records {tag}"
    with live_server.database.session_scope() as session:
        team = make_team(session, name=f"Assessment {tag}")
        add_team_manager(session, SYSTEM, team, manager.id)
        session.add(
            Staff(
                staff_number=f"E{tag}",
                name=asker.name,
                team_id=team.id,
                user_id=asker.id,
                started_on=dt.date(2020, 1, 6),
            )
        )
        make_asset(session, owner=session.get(User, owner.id), name=asset)

    browser_page.sign_in_quickly(asker, "/access/request")
    browser_page.pick("Information asset", f"case records {tag}", asset)
    browser_page.page.get_by_label("Edit", exact=True).check()
    browser_page.fill("Why is the access needed?", "I record assessments in this system")
    browser_page.submit("Ask for access")
    assert "sent to the line manager" in browser_page.page.inner_text("main")

    approver = open_page()
    approver.sign_in_quickly(manager)
    approver.click_link("Approve or decline requests for access")
    approver.click_link(f"Decide for {asker.name}, {asset}")
    assert "I record assessments in this system" in approver.page.inner_text("main")
    approver.page.get_by_label("Approve", exact=True).check()
    approver.fill("Reason", "Needed for the new caseload")
    approver.submit("Save decision")
    assert "No requests are waiting for you" in approver.page.inner_text("main")

    keeper = open_page()
    keeper.sign_in_quickly(owner)
    keeper.click_link("Grant approved access to your systems")
    keeper.click_link(f"Record granted for {asker.name}, {asset}")
    keeper.submit("Record as granted")
    row = keeper.page.get_by_role("row").filter(has_text=asset).inner_text()
    assert "Granted" in row

    # A quarter and a day later, not recertified: the pass reminds the line manager.
    later = utcnow() + dt.timedelta(days=93)
    with live_server.database.session_scope() as session:
        run_pass(session, live_server.policies.reminders, later)
    approver.goto("/")
    assert "Read your notifications" in approver.page.inner_text("main")
    approver.click_link("Notifications")
    table = approver.page.inner_text("table")
    assert f"Access held by {asker.name}" in table

    # They leave: the owner is asked to remove their access, and records it removed.
    with live_server.database.session_scope() as session:
        leaver = session.query(Staff).filter_by(user_id=asker.id).one()
        leaver.left_on = london_today() - dt.timedelta(days=1)
    keeper.goto("/")
    assert "Remove access from your systems" in keeper.page.inner_text("main")
    keeper.click_link("Remove access from your systems")
    keeper.click_link(f"Record removed for {asker.name}, {asset}")
    keeper.fill_date("removed_on", london_today())
    keeper.fill("Why was it removed?", "Left the council")
    keeper.submit("Record as removed")
    keeper.goto("/")
    assert "Remove access from your systems" not in keeper.page.inner_text("main")
