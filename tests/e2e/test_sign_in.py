"""Browser journeys: signing in and out, the throttle on wrong passwords, and no JavaScript."""

from __future__ import annotations

import pytest

from ig.auth.service import SIGN_IN_REFUSED, THROTTLED
from tests.e2e.browser import BrowserPage
from tests.e2e.conftest import OpenPage
from tests.e2e.server import LiveServer

pytestmark = pytest.mark.e2e


# A refused sign-in shows the form again with its errors (200 or 422).
REFUSED = (200, 422)


def attempt_sign_in(
    page: BrowserPage,
    email: str,
    password: str,
    status: int | tuple[int, ...] = 200,
    check: bool = True,
) -> None:
    page.fill("Email address", email)
    page.fill("Password", password)
    page.submit("Sign in", status, check=check)


def test_sign_in_and_out_ends_the_session(
    browser_page: BrowserPage, live_server: LiveServer, open_page: OpenPage
) -> None:
    user = live_server.create_user("staff")
    browser_page.sign_in(user)
    assert browser_page.page.url == live_server.url("/")
    assert user.name in browser_page.page.locator("header").inner_text()
    cookies = browser_page.page.context.cookies()

    browser_page.submit("Sign out")
    assert browser_page.page.url.startswith(live_server.url("/sign-in"))
    assert "You have signed out" in browser_page.page.inner_text("main")
    browser_page.goto("/")
    assert browser_page.heading == "Sign in to ig"

    # The session cookie from before sign-out, replayed in another browser, is dead.
    other = open_page()
    other.page.context.add_cookies(cookies)
    other.goto("/")
    assert other.page.url.startswith(live_server.url("/sign-in"))
    assert other.heading == "Sign in to ig"


def test_sign_in_returns_to_the_page_asked_for(
    browser_page: BrowserPage, live_server: LiveServer
) -> None:
    user = live_server.create_user("staff")
    browser_page.goto("/account")
    assert browser_page.heading == "Sign in to ig"
    attempt_sign_in(browser_page, user.email, user.password)
    assert browser_page.page.url == live_server.url("/account")
    assert browser_page.heading == "Your account"


def test_wrong_password_is_refused_with_an_error_summary(
    browser_page: BrowserPage, live_server: LiveServer
) -> None:
    user = live_server.create_user("staff")
    browser_page.goto("/sign-in")
    attempt_sign_in(browser_page, user.email, "not the right password at all", REFUSED)
    summary = browser_page.page.locator(".govuk-error-summary")
    assert SIGN_IN_REFUSED in summary.inner_text()
    assert browser_page.page.title().startswith("Error: ")
    assert browser_page.heading == "Sign in to ig"


def test_eleventh_attempt_is_throttled_even_with_the_right_password(
    browser_page: BrowserPage, live_server: LiveServer
) -> None:
    user = live_server.create_user("staff")
    bystander = live_server.create_user("staff")
    browser_page.goto("/sign-in")
    for attempt in range(10):
        # The refused page is the same each time: axe-core checks the first one.
        attempt_sign_in(
            browser_page, user.email, f"wrong password {attempt}", REFUSED, check=attempt == 0
        )
        assert SIGN_IN_REFUSED in browser_page.page.inner_text("main")

    attempt_sign_in(browser_page, user.email, user.password, REFUSED)
    assert THROTTLED in browser_page.page.inner_text("main")
    assert browser_page.heading == "Sign in to ig"
    browser_page.goto("/")
    assert browser_page.heading == "Sign in to ig"

    # The throttle is per account: someone else at the same address still gets in.
    attempt_sign_in(browser_page, bystander.email, bystander.password)
    assert browser_page.heading == "Your tasks"


def test_sign_in_and_out_without_javascript(open_page: OpenPage, live_server: LiveServer) -> None:
    page = open_page(java_script_enabled=False)
    user = live_server.create_user("staff")
    page.goto("/sign-in")
    assert page.page.evaluate("document.body.classList.contains('js-enabled')") is False
    attempt_sign_in(page, user.email, "", REFUSED)
    assert "Enter your password" in page.page.locator(".govuk-error-summary").inner_text()
    attempt_sign_in(page, user.email, user.password)
    assert page.heading == "Your tasks"
    page.submit("Sign out")
    assert "You have signed out" in page.page.inner_text("main")
