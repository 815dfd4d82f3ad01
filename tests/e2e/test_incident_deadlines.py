"""Browser journey: an ungraded breach the organisation became aware of 80 hours ago is
flagged on the IG officer's home page, in the register's overdue filter and on its page."""

from __future__ import annotations

import datetime as dt

import pytest

from ig.auth.rules import SYSTEM, Actor
from ig.db import utcnow
from ig.incidents import service
from ig.incidents.models import Kind
from ig.people.hierarchy import create_team
from ig.people.models import TeamKind
from tests.e2e.conftest import OpenPage
from tests.e2e.server import LiveServer

pytestmark = pytest.mark.e2e

HOUR = dt.timedelta(hours=1)
IG = Actor(None, "e2e", frozenset({"ig_officer"}), frozenset({"incidents.manage"}))
TASK = "Grade breaches: 72-hour deadline passed, not yet graded"


def test_an_ungraded_breach_past_72_hours_is_flagged_everywhere(
    live_server: LiveServer, open_page: OpenPage
) -> None:
    now = utcnow()
    policy = live_server.policies.incidents
    with live_server.database.session_scope() as session:
        team = create_team(session, SYSTEM, f"Duty {now.timestamp()}", TeamKind.TEAM)
        report = service.Report(
            "A referral was e-mailed to the wrong school.", now - 83 * HOUR, now - 82 * HOUR,
            team.id, False,
        )  # fmt: skip
        incident = service.report_incident(session, IG, policy, report, now - 81 * HOUR)
        aware = now - 80 * HOUR
        service.triage_incident(session, IG, policy, incident, Kind.BREACH, aware, aware)
        reference = incident.reference

    officer = open_page()
    officer.sign_in_quickly(live_server.create_user("ig_officer"))
    task = officer.page.locator(".govuk-task-list__item", has_text=TASK)
    assert task.count() == 1
    count, *hidden = task.locator(".govuk-tag").inner_text().split()
    assert int(count) >= 1
    assert hidden == ["overdue"]  # said, not only shown in red

    officer.click_link(TASK)
    assert officer.page.get_by_label("Only past a 72-hour deadline", exact=False).is_checked()
    row = officer.page.locator(f"tr[data-reference='{reference}']")
    assert row.count() == 1
    cell = row.locator(".ig-deadline").inner_text()
    assert "Overdue" in cell
    assert "ICO: deadline passed, not yet graded" in cell
    assert "Breach" in row.inner_text()

    officer.click_link(reference)
    flagged = officer.page.locator("#deadlines").inner_text()
    assert "Overdue" in flagged
    assert "Notifying the ICO: deadline passed, not yet graded" in flagged
    assert "overdue by 8 hours" in flagged
    assert "not notifiable on the current grading" not in officer.page.inner_text("main")
