"""Browser journey: an IG officer adds a processor contract missing the audit term, is
warned naming it, ticks it, and the warning goes."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from ig.db import utcnow
from tests.e2e.browser import BrowserPage
from tests.e2e.server import LiveServer
from tests.factories import make_organisation

pytestmark = pytest.mark.e2e

MISSING = "This contract is missing a term UK GDPR Art. 28(3) requires"
AUDIT_TERM = "(h) Makes available the information needed to show compliance, and allows audits"


def test_an_officer_adds_a_contract_missing_a_term_and_then_ticks_it(
    browser_page: BrowserPage, live_server: LiveServer
) -> None:
    officer = live_server.create_user("ig_officer")
    tag = uuid.uuid4().hex[:6]
    supplier, title = f"Casework Systems {tag} Ltd", f"Case management system {tag}"
    with live_server.database.session_scope() as session:
        make_organisation(session, name=supplier)
    today = utcnow().date()

    browser_page.sign_in_quickly(officer, "/contracts/new")
    browser_page.fill("Title", title)
    browser_page.fill("Reference", f"PC-{tag}")
    browser_page.pick("Processor", supplier[:-6], supplier)
    browser_page.pick("Contract owner", officer.name, f"{officer.name} ({officer.email})")
    browser_page.fill_date("start_on", today - dt.timedelta(days=100))
    browser_page.fill_date("end_on", today + dt.timedelta(days=800))
    browser_page.page.get_by_label("£100,000 to £500,000").check()
    for letter in "abcdefg":  # not (h), the audit term
        browser_page.page.get_by_label(f"({letter}) ", exact=False).check()
    browser_page.submit("Save contract")
    assert browser_page.heading == title
    main = browser_page.page.inner_text("main")
    assert MISSING in main
    assert AUDIT_TERM in main

    browser_page.goto(f"/contracts/?q={tag}")
    assert "Missing terms" in browser_page.page.get_by_role("row").nth(1).inner_text()

    browser_page.click_link(title)
    browser_page.click_link("Change details")
    browser_page.page.get_by_label("(h) ", exact=False).check()
    browser_page.submit("Save contract")
    assert browser_page.heading == title
    main = browser_page.page.inner_text("main")
    assert MISSING not in main
    assert "Missing terms" not in main
