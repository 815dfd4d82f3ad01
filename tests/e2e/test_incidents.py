"""Browser journey: a member of staff reports, the IG officer triages and grades, notifies
the ICO, the SIRO confirms the grading and the officer closes it; axe checks every page."""

from __future__ import annotations

import datetime as dt

import pytest

from ig.auth.rules import SYSTEM
from ig.db import LONDON, utcnow
from ig.people.hierarchy import create_team
from ig.people.models import TeamKind
from tests.e2e.browser import BrowserPage
from tests.e2e.conftest import OpenPage
from tests.e2e.server import LiveServer

pytestmark = pytest.mark.e2e


def fill_when(page: BrowserPage, prefix: str, moment: dt.datetime) -> None:
    """Fill a GOV.UK date input and its time field with ``moment`` in UK time."""
    local = moment.astimezone(LONDON)
    page.page.fill(f"#{prefix}_on-day", str(local.day))
    page.page.fill(f"#{prefix}_on-month", str(local.month))
    page.page.fill(f"#{prefix}_on-year", str(local.year))
    page.page.fill(f"#{prefix}_time", local.strftime("%H:%M"))


def test_report_triage_grade_notify_confirm_close(
    live_server: LiveServer, open_page: OpenPage
) -> None:
    with live_server.database.session_scope() as session:
        team = create_team(session, SYSTEM, f"Fostering {utcnow().timestamp()}", TeamKind.TEAM)
        team_name = team.name
    now = utcnow()

    # A member of staff reports it.
    staff = open_page()
    staff.sign_in(live_server.create_user("staff"))
    staff.goto("/incidents/report")
    staff.fill("What happened?", "Placement letter sent to the previous foster carer's address.")
    fill_when(staff, "occurred", now - dt.timedelta(hours=3))
    fill_when(staff, "found", now - dt.timedelta(hours=2))
    staff.pick("Team involved", team_name[:-2], team_name)
    staff.page.get_by_label("No", exact=True).check()
    staff.submit("Report incident")
    reference = staff.heading.split()[1]
    assert reference.startswith("INC-")
    assert "The IG team has been told" in staff.page.inner_text("main")

    # The IG officer sees it on the home page, triages and grades it.
    officer = open_page()
    officer.sign_in(live_server.create_user("ig_officer", two_factor=True))
    assert "Triage new incident reports" in officer.page.inner_text("main")
    officer.goto(f"/incidents/{reference}")
    officer.click_link("Triage")
    officer.page.get_by_label("A personal-data breach").check()
    fill_when(officer, "aware", now - dt.timedelta(hours=1))
    officer.submit("Save triage")
    officer.click_link("Grade")
    officer.page.get_by_label("4: Highly likely", exact=True).check()
    officer.page.get_by_label("3: Potentially some adverse effect", exact=True).check()
    officer.submit("Save grading")
    main = officer.page.inner_text("main")
    assert "Notifying the ICO: not yet notified" in main
    assert "Waiting for the SIRO or a Caldicott Guardian" in main

    # The record says what kind of breach it is: the ICO's form asks.
    officer.click_link("Edit record")
    officer.page.get_by_label("Type of incident").select_option("post_wrong_recipient")
    officer.page.get_by_label("Confidentiality (disclosed or accessed)").check()
    officer.submit("Save record")

    # The initial notification to the ICO, within 72 hours; what is not yet known follows.
    officer.click_link("Record a notification")
    officer.page.get_by_label("ICO", exact=True).check()
    officer.page.get_by_label("Initial notification").check()
    fill_when(officer, "sent", utcnow())
    officer.fill("Their reference (for example the ICO case number)", "IC-0000001")
    officer.fill("What was sent", "Initial report through the ICO's breach form")
    for box in officer.page.locator("input[name=not_yet_known]").all():
        box.check()
    follow_up = (utcnow() + dt.timedelta(days=7)).astimezone(LONDON)
    officer.page.fill("#follow_up_on-day", str(follow_up.day))
    officer.page.fill("#follow_up_on-month", str(follow_up.month))
    officer.page.fill("#follow_up_on-year", str(follow_up.year))
    officer.submit("Record notification")
    assert "notified" in officer.heading

    # The SIRO confirms the grading.
    siro = open_page()
    siro.sign_in(live_server.create_user("siro", two_factor=True))
    siro.goto(f"/incidents/{reference}")
    siro.submit("Confirm this grading")
    assert "Confirmed by" in siro.page.inner_text("main")

    # The officer closes it with the root cause and lessons learned.
    officer.goto(f"/incidents/{reference}")
    officer.click_link("Close")
    officer.fill("Root cause", "Address not updated after the carer moved")
    officer.fill("Lessons learned", "Check the address against the case record before posting")
    officer.submit("Close incident")
    assert "closed" in officer.heading
    officer.click_link("ICO report layout")
    officer.goto("/incidents/dashboard")
