"""Browser journey: an IG officer records a risk, reviews it, and sees its heat map on a
phone-width screen without the page scrolling sideways. axe-core checks every page."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.browser import BrowserPage
from tests.e2e.server import LiveServer

pytestmark = pytest.mark.e2e

FITS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
# The heat map's squares all lie inside its scroll region as first laid out: the current
# and target positions are in sight without scrolling the table sideways.
SQUARES_IN_SIGHT = """() => {
    const table = document.querySelector('main table.ig-heat-map');
    const box = table.closest('.ig-table-scroll').getBoundingClientRect();
    return [...table.querySelectorAll('td')].every(cell => {
        const r = cell.getBoundingClientRect();
        return r.left >= box.left && r.right <= box.right + 1;
    });
}"""


def test_an_officer_records_and_reviews_a_risk(
    browser_page: BrowserPage, live_server: LiveServer
) -> None:
    officer = live_server.create_user("ig_officer")
    title = f"Ransomware attack on the case system {uuid.uuid4().hex[:6]}"
    page = browser_page.page
    page.set_viewport_size({"width": 390, "height": 900})
    browser_page.sign_in_quickly(officer, "/risks/new")
    browser_page.fill("Title", title)
    page.get_by_label("Category", exact=True).select_option("cyber")
    browser_page.pick("Risk owner", officer.name, f"{officer.name} ({officer.email})")
    browser_page.fill("Cause", "Phishing and unpatched remote access")
    browser_page.fill("Effect", "Case records unavailable for days")
    for label, level in (("Current likelihood", "3"), ("Current impact", "5")):
        page.get_by_label(label, exact=True).select_option(level)
    for label, level in (("Target likelihood", "2"), ("Target impact", "4")):
        page.get_by_label(label, exact=True).select_option(level)
    browser_page.submit("Save risk")
    assert browser_page.heading == title

    browser_page.click_link("Record a review")
    page.get_by_label("Likelihood now", exact=True).select_option("2")
    page.get_by_label("Impact now", exact=True).select_option("5")
    browser_page.fill("What the review found", "Backups restored in a drill")
    browser_page.submit("Record review")
    assert browser_page.heading == title
    assert "Backups restored in a drill" in page.inner_text("main")
    heat_map = page.get_by_role("table", name="Heat map: likelihood (down) by impact (across)")
    assert heat_map.is_visible()
    now = heat_map.get_by_role("cell").filter(has_text="Now")
    assert now.count() == 1
    assert now.inner_text().split()[0] == "10"
    assert page.evaluate(SQUARES_IN_SIGHT), "the heat map needs a sideways scroll at 390px"
    width, client_width = page.evaluate(FITS)
    assert width <= client_width, f"the risk's page scrolls sideways at 390px: {width}"
