"""A manager's training page in a browser: who needs action comes first, the longest
overdue at the top; the people needing nothing are a count that opens (with or without
JavaScript); and the page never scrolls sideways at 1280 or 390 pixels wide."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from ig.auth.rules import SYSTEM
from ig.db import london_today, utcnow
from ig.features import load_policies
from ig.people.hierarchy import add_team_manager, create_team
from ig.people.models import Staff, TeamKind
from ig.settings import PROJECT_ROOT
from ig.training.models import Completion, CompletionSource
from ig.training.rules import due_on
from tests.e2e.browser import BrowserPage
from tests.e2e.conftest import OpenPage
from tests.e2e.server import E2EUser, LiveServer

pytestmark = pytest.mark.e2e

WIDTHS = (1280, 390)
DSA_DONE: dict[str, dt.date | None] = {}
# On failure, the elements that reach furthest right, to say what to fix.
WIDEST = """() => [...document.querySelectorAll('body *')]
  .map(e => [Math.round(e.getBoundingClientRect().right), e.tagName + '.' + e.className])
  .filter(([right]) => right > window.innerWidth)
  .sort((a, b) => b[0] - a[0]).slice(0, 8)"""


def make_team_with_people(live_server: LiveServer, manager_id: int) -> dict[str, str]:
    """A team with, worst first: one never trained, one lapsed 40 days ago, one expiring
    in 10 days; and two with nothing to do."""
    tag = uuid.uuid4().hex[:6]
    today = london_today()
    year_ago = today - dt.timedelta(days=365)
    # completion dates for DSA; None means never done (the other courses are current)
    plan = {
        "never": None,
        "lapsed": year_ago - dt.timedelta(days=40),
        "soon": year_ago + dt.timedelta(days=10),
        "done": today - dt.timedelta(days=30),
        "also": today - dt.timedelta(days=90),
    }
    with live_server.database.session_scope() as session:
        team = create_team(session, SYSTEM, f"Reablement {tag}", TeamKind.TEAM)
        add_team_manager(session, SYSTEM, team, manager_id)
        names = {}
        for key, dsa in plan.items():
            person = Staff(
                staff_number=f"{key[:2].upper()}{tag}",
                name=f"{key.title()} Person {tag}",
                team_id=team.id,
                started_on=dt.date(2020, 1, 1),
            )
            session.add(person)
            session.flush()
            names[key] = person.name
            DSA_DONE[person.name] = dsa
            if dsa is None:
                continue
            for code, day in (("DSA", dsa), ("IGF", today - dt.timedelta(days=30))):
                session.add(
                    Completion(
                        staff_id=person.id,
                        course_code=code,
                        completed_on=day,
                        source=CompletionSource.MANUAL,
                        recorded_at=utcnow(),
                    )
                )
            session.add(
                Completion(
                    staff_id=person.id,
                    course_code="CYB",
                    completed_on=today - dt.timedelta(days=30),
                    source=CompletionSource.MANUAL,
                    recorded_at=utcnow(),
                )
            )
    return names


def expected_days(name: str) -> int:
    """Days overdue or left on the person's DSA, by the rules the page should follow."""
    course = load_policies(PROJECT_ROOT / "policies").training.courses["DSA"]
    completed = DSA_DONE[name]
    due = due_on(course, dt.date(2020, 1, 1), completed)
    return abs((london_today() - due).days)


def action_names(page: BrowserPage) -> list[str]:
    cells = page.page.locator('[data-testid="needs-action"] tbody th a')
    return [name.strip() for name in cells.all_inner_texts()]


def assert_no_sideways_scroll(page: BrowserPage) -> None:
    for width in WIDTHS:
        page.page.set_viewport_size({"width": width, "height": 900})
        scroll, inner = page.page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll > inner:
            wide = page.page.evaluate(WIDEST)
            pytest.fail(f"{page.page.url} scrolls sideways at {width}px ({scroll}px): {wide}")


@pytest.fixture
def manager(live_server: LiveServer) -> E2EUser:
    return live_server.create_user("manager")


def test_overdue_first_worst_first_and_the_rest_a_count_that_opens(
    live_server: LiveServer, open_page: OpenPage, manager: E2EUser
) -> None:
    names = make_team_with_people(live_server, manager.id)
    page = open_page()
    page.sign_in(manager)
    page.goto("/training/team")
    assert action_names(page) == [names["never"], names["lapsed"], names["soon"]]
    rows = page.page.locator('[data-testid="needs-action"] tbody tr')
    assert "overdue by" in rows.nth(0).inner_text()
    lapsed, soon = (expected_days(names[key]) for key in ("lapsed", "soon"))
    assert f"DSA): overdue by {lapsed} days" in rows.nth(1).inner_text()
    assert f"DSA): due in {soon} days, by" in rows.nth(2).inner_text()

    details = page.page.locator('[data-testid="up-to-date"]')
    summary = details.locator("summary")
    assert summary.inner_text().strip() == "2 people need no action now"
    done = details.get_by_role("link", name=names["done"])
    assert not done.is_visible()  # summarised until asked for
    summary.click()
    assert done.is_visible()
    assert details.get_by_role("link", name=names["also"]).is_visible()
    assert_no_sideways_scroll(page)


def test_the_count_opens_without_javascript_and_fits(
    live_server: LiveServer, open_page: OpenPage, manager: E2EUser
) -> None:
    names = make_team_with_people(live_server, manager.id)
    page = open_page(java_script_enabled=False)
    page.sign_in(manager)
    page.goto("/training/team")
    assert_no_sideways_scroll(page)
    details = page.page.locator('[data-testid="up-to-date"]')
    done = details.get_by_role("link", name=names["done"])
    assert not done.is_visible()
    details.locator("summary").click()
    assert done.is_visible()
    assert_no_sideways_scroll(page)


def test_filter_to_overdue_and_download_the_list(
    live_server: LiveServer, open_page: OpenPage, manager: E2EUser
) -> None:
    names = make_team_with_people(live_server, manager.id)
    page = open_page()
    page.sign_in(manager)
    page.goto("/training/team")
    page.page.get_by_label("Show").select_option(label="Due soon")
    page.submit("Apply")
    assert action_names(page) == [names["soon"]]
    with page.page.expect_download() as download:
        page.page.get_by_role("link", name="Download this list (CSV)").click()
    lines = download.value.path().read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Staff number,Name,Team,Course,Status,Completed on,Expires on,Days overdue"
    assert [line.split(",")[1] for line in lines[1:]] == [names["soon"]]
