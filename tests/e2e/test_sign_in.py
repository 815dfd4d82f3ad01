"""Browser journeys: signing in and out, and the throttle on wrong passwords."""

from __future__ import annotations

import pytest

from tests.e2e.browser import BrowserPage
from tests.e2e.server import LiveServer

pytestmark = pytest.mark.e2e


def test_sign_in_and_out(browser_page: BrowserPage, live_server: LiveServer, open_page) -> None:
    user = live_server.create_user("staff")
    browser_page.sign_in(user)
    assert browser_page.page.url == live_server.url("/")
    assert user.name in browser_page.page.locator("header").inner_text()
    cookies = browser_page.page.context.cookies()

    browser_page.submit("Sign out")
    assert browser_page.page.url.startswith(live_server.url("/sign-in"))
    assert "You have signed out" in browser_page.page.inner_text("main")

    # The cookie from before sign-out, replayed in another browser, no longer works.
    other = open_page()
    other.page.context.add_cookies(cookies)
    other.goto("/")
    assert other.page.url.startswith(live_server.url("/sign-in"))
    assert other.heading == "Sign in to ig"
