"""Browser journey: an auditor verifies the audit chain and the signed decisions."""

from __future__ import annotations

import pytest

from tests.e2e.browser import BrowserPage
from tests.e2e.server import LiveServer

pytestmark = pytest.mark.e2e

FITS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def test_the_verify_page_says_what_it_checked_and_fits_a_phone(
    browser_page: BrowserPage, live_server: LiveServer
) -> None:
    auditor = live_server.create_user("auditor")
    browser_page.sign_in_quickly(auditor, "/audit/")
    browser_page.submit("Verify the chain")  # axe-core checks the result page

    main = browser_page.page.inner_text("main")
    assert "entries are intact" in main
    assert "Signed Caldicott decisions" in main
    assert "ig verify-audit --checkpoint" in main
    assert "Records have been altered outside ig" not in main
    for width in (1280, 390):
        browser_page.page.set_viewport_size({"width": width, "height": 900})
        scroll, client = browser_page.page.evaluate(FITS)
        assert scroll <= client, f"the verify page scrolls sideways at {width}px"
