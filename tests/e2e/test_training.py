"""Browser journeys: a manager sees only their teams, filters the overdue and exports them;
an IG officer imports a messy learning-system file and reads the organisation's figures.
axe-core checks every page."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest

from ig.auth.rules import SYSTEM
from ig.db import utcnow
from ig.people.hierarchy import add_team_manager, create_team
from ig.people.models import Staff, TeamKind
from ig.training.models import Completion, CompletionSource
from tests.e2e.conftest import OpenPage
from tests.e2e.server import LiveServer

pytestmark = pytest.mark.e2e


def make_org(live_server: LiveServer, manager_id: int | None) -> dict[str, str]:
    """Two teams, one managed by ``manager_id``; a compliant, an overdue and another's."""
    tag = uuid.uuid4().hex[:6]
    today = utcnow().date()
    with live_server.database.session_scope() as session:
        mine = create_team(session, SYSTEM, f"Fostering {tag}", TeamKind.TEAM)
        other = create_team(session, SYSTEM, f"Early Help {tag}", TeamKind.TEAM)
        if manager_id is not None:
            add_team_manager(session, SYSTEM, mine, manager_id)
        people = {
            "done": Staff(
                staff_number=f"D{tag}",
                name=f"Dana Done {tag}",
                team_id=mine.id,
                started_on=dt.date(2020, 1, 1),
            ),
            "late": Staff(
                staff_number=f"L{tag}",
                name=f"Lee Late {tag}",
                team_id=mine.id,
                started_on=dt.date(2020, 1, 1),
            ),
            "other": Staff(
                staff_number=f"O{tag}",
                name=f"Olu Other {tag}",
                team_id=other.id,
                started_on=dt.date(2020, 1, 1),
            ),
        }
        session.add_all(people.values())
        session.flush()
        for code in ("DSA", "IGF", "CYB"):
            session.add(
                Completion(
                    staff_id=people["done"].id,
                    course_code=code,
                    completed_on=today - dt.timedelta(days=10),
                    source=CompletionSource.MANUAL,
                    recorded_at=utcnow(),
                )
            )
        return {key: person.name for key, person in people.items()} | {
            "late_number": people["late"].staff_number,
            "tag": tag,
        }


def test_manager_sees_filters_and_exports_their_teams(
    live_server: LiveServer, open_page: OpenPage
) -> None:
    manager = live_server.create_user("manager")
    names = make_org(live_server, manager.id)
    page = open_page()
    page.sign_in(manager)
    page.goto("/training/team")
    needs_action = page.page.locator('[data-testid="needs-action"]').inner_text()
    assert names["late"] in needs_action
    assert names["done"] not in needs_action
    assert names["other"] not in page.page.inner_text("main")
    assert names["done"] in page.page.locator('[data-testid="up-to-date"]').text_content()

    page.page.get_by_label("Show").select_option(label="Overdue")
    page.submit("Apply")
    assert names["late"] in page.page.locator('[data-testid="needs-action"]').inner_text()

    with page.page.expect_download() as download:
        page.page.get_by_role("link", name="Download this list (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert names["late"] in text
    assert names["done"] not in text
    assert names["other"] not in text


def test_ig_officer_imports_a_messy_file_and_reads_the_figures(
    live_server: LiveServer, open_page: OpenPage, tmp_path: Path
) -> None:
    names = make_org(live_server, None)
    page = open_page()
    page.sign_in(live_server.create_user("ig_officer", two_factor=True))
    page.goto("/training/")
    assert "Training compliance" in page.heading
    page.click_link("Import completions from the learning system")
    csv = tmp_path / "learning.csv"
    csv.write_text(
        "\ufeffStaff Number,Course Code,Completion Date\n"
        f"{names['late_number']},DSA,01/02/2026\n\nNOBODY,DSA,2026-02-01\n",
        encoding="utf-8",
    )
    page.page.set_input_files("input[type=file]", str(csv))
    page.submit("Upload and check")
    main = page.page.inner_text("main")
    assert "no member of staff has the number 'NOBODY'" in main
    page.submit("Import the 1 valid rows")
    assert "Imported: 1 added" in page.page.inner_text("main")

    page.goto("/training/?on=31&on=3&on=2026")
    main = page.page.inner_text("main")
    assert "As at 31 March 2026" in main
    figures = page.page.locator('[data-testid="two-figures"]')
    assert "As recorded then" in figures.inner_text()
    assert "As now known" in figures.inner_text()
    for width in (1280, 390):
        page.page.set_viewport_size({"width": width, "height": 900})
        scroll, inner = page.page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert scroll <= inner, f"the past-date figures scroll sideways at {width}px"
