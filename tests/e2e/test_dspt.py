"""Browser journey: the DPO opens the DSPT evidence from the menu, reads it on a phone
and prints it for the annual submission without the site's navigation."""

from __future__ import annotations

import pytest

from tests.e2e.browser import BrowserPage
from tests.e2e.server import LiveServer

# What the page looks like is the same on either database: run on the first only.
pytestmark = [pytest.mark.e2e, pytest.mark.presentation]

PHONE = 390
LAYOUT = """() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    items: document.querySelectorAll('main section h2').length,
    navigationShown: [...document.querySelectorAll(
        'nav, .govuk-template__header .ig-header__account, .govuk-footer')]
        .some(element => element.offsetParent !== null),
})"""


def test_the_dpo_reads_the_evidence_on_a_phone_and_prints_it(
    browser_page: BrowserPage, live_server: LiveServer
) -> None:
    dpo = live_server.create_user("ig_officer")
    browser_page.sign_in_quickly(dpo)
    browser_page.click_link("DSPT")
    assert browser_page.heading == "Evidence for the annual submission"
    page = browser_page.page
    page.set_viewport_size({"width": PHONE, "height": 800})
    on_phone = page.evaluate(LAYOUT)
    assert on_phone["scrollWidth"] <= on_phone["clientWidth"], on_phone
    assert on_phone["items"] >= 8
    assert on_phone["navigationShown"] is True
    page.emulate_media(media="print")
    printed = page.evaluate(LAYOUT)
    page.emulate_media(media="screen")
    assert printed["navigationShown"] is False
    assert printed["items"] == on_phone["items"]
    browser_page.click_link("Processor contracts")
    assert browser_page.heading.startswith("Processor contracts")
