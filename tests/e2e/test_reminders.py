"""Browser journeys: a manager reads and marks their notifications (a notice to review and
their team's overdue training); an IG officer adds a privacy notice and records a review
that publishes a new version. axe-core checks every page."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest

from ig.auth.rules import Actor
from ig.db import london_today, utcnow
from ig.notices.models import Audience
from ig.notices.service import NoticeInput, create_notice
from ig.people.models import Staff
from ig.reminders.engine import run_pass
from tests.e2e.browser import BrowserPage
from tests.e2e.server import LiveServer
from tests.factories import make_team

pytestmark = pytest.mark.e2e
MANAGE = Actor(None, "e2e", frozenset(), frozenset({"notices.manage"}))


def remind_manager(live_server: LiveServer, manager_id: int) -> tuple[str, str]:
    """A notice of the manager's due for review in five days, an overdue member of staff
    in their team, and a reminder pass; returns the notice's title and the person's name."""
    from ig.people.models import TeamManager

    tag = uuid.uuid4().hex[:6]
    now = utcnow()
    today = london_today(now)
    title = f"Fostering privacy notice {tag}"
    with live_server.database.session_scope() as session:
        policies = live_server.policies
        create_notice(
            session,
            MANAGE,
            policies.notices,
            NoticeInput(
                title=title,
                service_key="childrens_services",
                owner_user_id=manager_id,
                published_url="https://eastmere.example/privacy/fostering",
                audience=Audience.PUBLIC,
                processing="Fostering assessments",
                text="Notice text",
                effective_on=today.replace(year=today.year - 1) + dt.timedelta(days=5),
                approved_by="DPO",
            ),
            now,
        )
        team = make_team(session, name=f"Fostering {tag}")
        session.add(TeamManager(team_id=team.id, user_id=manager_id))
        name = f"Lee Late {tag}"
        session.add(
            Staff(
                staff_number=f"L{tag}", name=name, team_id=team.id, started_on=dt.date(2020, 1, 6)
            )
        )
        session.flush()
        run_pass(session, policies.reminders, now)
    return title, name


def test_a_manager_reads_their_notifications(
    browser_page: BrowserPage, live_server: LiveServer
) -> None:
    manager = live_server.create_user("manager")
    title, overdue = remind_manager(live_server, manager.id)
    browser_page.sign_in(manager)
    assert "Read your notifications" in browser_page.page.inner_text("main")
    browser_page.click_link("Notifications")
    assert browser_page.heading == "Notifications"
    table = browser_page.page.inner_text("table")
    assert title in table
    assert "due within 7 days" in table
    assert f"Data security awareness ({overdue})" in table

    mark = browser_page.page.get_by_role("button", name=re.compile(f"^Mark as read.*{title}$"))
    browser_page.follow(mark.click)
    row = browser_page.page.get_by_role("row").filter(has_text=title)
    assert "Read" in row.inner_text()
    browser_page.click_link("Show unread only")
    assert title not in browser_page.page.inner_text("main")
    browser_page.submit("Mark all as read")
    browser_page.click_link("Show unread only")
    assert "You have no notifications" in browser_page.page.inner_text("main")


def test_an_officer_adds_a_notice_and_reviews_it(
    browser_page: BrowserPage, live_server: LiveServer
) -> None:
    officer = live_server.create_user("ig_officer", two_factor=True)
    title = f"Carers' service privacy notice {uuid.uuid4().hex[:6]}"
    today = london_today()
    browser_page.sign_in(officer)
    browser_page.click_link("Privacy notices")
    browser_page.click_link("Add a privacy notice")
    browser_page.fill("Title", title)
    browser_page.page.get_by_label("Service it covers").select_option("carers")
    browser_page.pick("Owner", officer.email, f"{officer.name} ({officer.email})")
    browser_page.fill(
        "Where it is published (web address)", "https://eastmere.example/privacy/carers"
    )
    browser_page.page.get_by_label("The public").check()
    browser_page.fill("The processing it describes", "Carers' assessments and support plans")
    browser_page.fill("Text of the notice (or a snapshot of it)", "We use your information.")
    browser_page.fill_date("effective_on", today - dt.timedelta(days=400))
    browser_page.fill("Approved by", "Data Protection Officer")
    browser_page.submit("Save notice")
    assert browser_page.heading == title
    assert "Overdue" in browser_page.page.inner_text("main")

    browser_page.click_link("Record a review")
    browser_page.fill_date("reviewed_on", today)
    browser_page.page.get_by_label("Updated with a new version").check()
    browser_page.fill("What changed (for an update)", "Names the new carers' trust")
    browser_page.submit("Record review", status=422)
    assert "Enter the new version" in browser_page.page.inner_text(".govuk-error-summary")

    browser_page.fill(
        "Text of the new version",
        "We use your information and share it with Eastmere Carers Trust.",
    )
    browser_page.fill_date("effective_on", today)
    browser_page.fill("New version approved by", "Margaret Lowe, SIRO")
    browser_page.submit("Record review")
    main = browser_page.page.inner_text("main")
    assert "Up to date" in main
    assert "Names the new carers' trust" in main
    versions = browser_page.page.get_by_role("table").first.inner_text()
    assert "2\t" in versions
    assert "1\t" in versions
