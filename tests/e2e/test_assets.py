"""Browser journey: an IG officer adds an information asset, and its owner (the IAO)
sees the task on their home page and confirms it; an overdue asset is flagged.
axe-core checks every page."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import select

from ig.auth.models import User
from tests.e2e.browser import BrowserPage
from tests.e2e.server import LiveServer
from tests.factories import make_asset

pytestmark = pytest.mark.e2e

# The register's Overdue tag lies wholly inside its table's scroll box, as first laid
# out: it is seen without scrolling the table sideways.
OVERDUE_IN_SIGHT = """() => {
    const tag = [...document.querySelectorAll('main .govuk-tag')]
        .find(t => t.textContent.trim() === 'Overdue');
    const box = tag.closest('.ig-table-scroll').getBoundingClientRect();
    const r = tag.getBoundingClientRect();
    return r.left >= box.left && r.right <= box.right;
}"""


def test_an_officer_adds_an_asset_and_its_owner_confirms_it(
    browser_page: BrowserPage, live_server: LiveServer, open_page: Callable[..., BrowserPage]
) -> None:
    officer = live_server.create_user("ig_officer")
    owner = live_server.create_user("manager")
    tag = uuid.uuid4().hex[:6]
    name, overdue = f"Children's services records {tag}", f"Old paper files {tag}"
    with live_server.database.session_scope() as session:
        owner_row = session.scalars(select(User).where(User.email == owner.email)).one()
        make_asset(
            session, owner=owner_row, name=overdue, now=dt.datetime(2020, 1, 6, tzinfo=dt.UTC)
        )

    browser_page.sign_in_quickly(officer, "/assets/new")
    browser_page.fill("Name", name)
    browser_page.fill("System or store it lives in", "Liquidlogic Children's System")
    browser_page.fill("Description", "Referrals, assessments and plans")
    browser_page.pick("Information Asset Owner", owner.name, f"{owner.name} ({owner.email})")
    browser_page.pick(
        "Information asset administrator", officer.name, f"{officer.name} ({officer.email})"
    )
    browser_page.page.get_by_label("Care and support records").check()
    browser_page.page.get_by_label("Health", exact=True).check()
    browser_page.fill("Approximate number of records", "21500")
    browser_page.page.get_by_label("Electronic and paper").check()
    browser_page.page.get_by_label("On premises").check()
    browser_page.fill("Retention period", "Until the 25th birthday")
    browser_page.fill("Retention rule it follows", "Retention schedule 3.1")
    browser_page.page.get_by_label("Critical", exact=True).check()
    browser_page.submit("Save asset")
    assert browser_page.heading == name
    assert "Health" in browser_page.page.inner_text("main")

    browser_page.goto(f"/assets/?q={tag}")
    rows = browser_page.page.get_by_role("row")
    assert overdue in rows.nth(1).inner_text()  # overdue confirmations come first
    assert "Overdue" in rows.nth(1).inner_text()
    assert browser_page.page.evaluate(OVERDUE_IN_SIGHT), "the Overdue tag is scrolled out of sight"
    assert name in rows.nth(2).inner_text()

    iao = open_page()
    iao.sign_in_quickly(owner)
    assert "Confirm your information assets" in iao.page.inner_text("main")  # the new one
    iao.click_link("Confirm your overdue information assets")
    assert "Overdue" in iao.page.get_by_role("row").filter(has_text=overdue).inner_text()
    iao.click_link(name)
    iao.submit("Confirm this entry is accurate")
    assert iao.heading == name
    main = iao.page.inner_text("main")
    assert "Confirmed" in main
    assert "Last confirmed by its owner" in main
