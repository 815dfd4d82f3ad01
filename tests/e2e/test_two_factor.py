"""Browser journey: an IG officer sets up TOTP at first sign-in, then signs in with it."""

from __future__ import annotations

import pytest

from ig.auth.totp import CODE_REFUSED, RECOVERY_CODES
from tests.e2e.browser import CODE_LABEL, BrowserPage
from tests.e2e.server import LiveServer

pytestmark = pytest.mark.e2e
ENROL_LABEL = "Code from your authenticator app"


def sign_in_with_password(page: BrowserPage, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.fill("Email address", email)
    page.fill("Password", password)
    page.submit("Sign in")


def enter_code(page: BrowserPage, code: str, status: int = 200) -> None:
    page.fill(CODE_LABEL, code)
    page.submit("Continue", status)


def test_ig_officer_enrols_at_first_sign_in_and_uses_codes_once(
    browser_page: BrowserPage, live_server: LiveServer
) -> None:
    user = live_server.create_user("ig_officer", two_factor=False)
    sign_in_with_password(browser_page, user.email, user.password)
    assert browser_page.page.url == live_server.url("/account/two-factor")
    assert browser_page.heading == "Set up two-factor authentication"
    assert browser_page.page.locator(".govuk-service-navigation").count() == 0
    browser_page.goto("/")  # nothing else opens until two-factor is set up
    assert browser_page.heading == "Set up two-factor authentication"

    browser_page.fill(ENROL_LABEL, "000000")
    browser_page.submit("Turn on two-factor authentication", 422)
    assert CODE_REFUSED in browser_page.page.locator(".govuk-error-summary").inner_text()

    user.totp_secret = browser_page.page.get_by_test_id("totp-secret").inner_text().strip()
    assert browser_page.page.locator(".ig-qr svg").count() == 1
    browser_page.fill(ENROL_LABEL, user.next_code())
    browser_page.submit("Turn on two-factor authentication")
    assert browser_page.page.get_by_role("heading", name="Your recovery codes").is_visible()
    codes = browser_page.page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == RECOVERY_CODES
    browser_page.click_link("Continue")
    assert browser_page.heading == "Your tasks"
    browser_page.submit("Sign out")

    # Signing in again asks for a code; a fresh one lets the officer in.
    sign_in_with_password(browser_page, user.email, user.password)
    assert browser_page.heading == "Enter your code"
    code = user.next_code()
    enter_code(browser_page, code)
    assert browser_page.heading == "Your tasks"
    browser_page.submit("Sign out")

    # The same code again is a replay: refused, and the officer stays outside.
    sign_in_with_password(browser_page, user.email, user.password)
    enter_code(browser_page, code, 422)
    assert CODE_REFUSED in browser_page.page.locator(".govuk-error-summary").inner_text()
    browser_page.goto("/")
    assert browser_page.heading == "Enter your code"

    # A recovery code works once.
    enter_code(browser_page, codes[0])
    assert browser_page.heading == "Your tasks"
    browser_page.submit("Sign out")
    sign_in_with_password(browser_page, user.email, user.password)
    enter_code(browser_page, codes[0], 422)
    assert CODE_REFUSED in browser_page.page.inner_text("main")


def test_signed_in_helper_passes_two_factor(
    browser_page: BrowserPage, live_server: LiveServer
) -> None:
    user = live_server.create_user("caldicott_guardian", two_factor=True)
    browser_page.sign_in(user)
    assert browser_page.heading == "Your tasks"
    browser_page.submit("Sign out")
    browser_page.sign_in(user)  # a second sign-in in the same 30 seconds needs a new code
    assert browser_page.heading == "Your tasks"
