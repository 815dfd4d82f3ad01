"""The page layout: skip link, landmarks, titles, favicon, focus, error summary, small screens."""

from __future__ import annotations

import pytest

from tests.e2e.browser import BrowserPage
from tests.e2e.server import LiveServer

# Layout and focus styles, the same on either database: run on the first.
pytestmark = [pytest.mark.e2e, pytest.mark.presentation]
FOCUS_YELLOW = "rgb(255, 221, 0)"
DASH = "\N{EN DASH}"


def focused(page: BrowserPage, script: str) -> object:
    return page.page.evaluate(f"() => {{ const el = document.activeElement; return {script}; }}")


def test_skip_link_is_first_and_moves_focus_to_the_main_content(
    browser_page: BrowserPage,
) -> None:
    browser_page.goto("/sign-in")
    browser_page.page.keyboard.press("Tab")
    assert focused(browser_page, "el.textContent.trim()") == "Skip to main content"
    assert focused(browser_page, "getComputedStyle(el).backgroundColor") == FOCUS_YELLOW
    browser_page.page.keyboard.press("Enter")
    assert focused(browser_page, "el.id") == "main-content"


def test_landmarks_title_and_favicon(browser_page: BrowserPage, live_server: LiveServer) -> None:
    browser_page.sign_in(live_server.create_user("auditor"))
    page = browser_page.page
    assert page.title() == f"Home {DASH} ig"
    assert page.locator("html").get_attribute("lang") == "en-GB"
    assert page.get_by_role("banner").count() == 1
    assert page.get_by_role("main").count() == 1
    assert page.get_by_role("contentinfo").count() == 1
    menu = page.get_by_role("navigation", name="Menu")
    assert menu.get_by_role("link", name="Home").get_attribute("aria-current") in ("page", "true")
    assert menu.get_by_role("link", name="Audit", exact=True).count() == 1

    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon == "/static/assets/images/favicon.svg"
    response = page.request.get(browser_page.url(icon))
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")


def test_header_links_show_the_focus_state(
    browser_page: BrowserPage, live_server: LiveServer
) -> None:
    browser_page.sign_in(live_server.create_user("staff"))
    for name, role in (("Your account", "link"), ("Sign out", "button")):
        control = browser_page.page.locator("header").get_by_role(role, name=name)
        control.focus()
        assert control.evaluate("el => getComputedStyle(el).backgroundColor") == FOCUS_YELLOW
        box = control.bounding_box()
        assert box is not None
        assert box["height"] >= 24  # WCAG 2.2 SC 2.5.8 target size


def test_error_summary_takes_focus_and_links_to_the_field(browser_page: BrowserPage) -> None:
    browser_page.goto("/sign-in")
    browser_page.submit("Sign in", (200, 422))
    assert browser_page.page.title() == f"Error: Sign in {DASH} ig"
    summary = browser_page.page.locator(".govuk-error-summary")
    assert focused(browser_page, "el.classList.contains('govuk-error-summary')") is True
    summary.get_by_role("link", name="Enter your email address").click()
    assert focused(browser_page, "el.id") == "email"


def test_pages_reflow_on_a_small_screen(browser_page: BrowserPage, live_server: LiveServer) -> None:
    # WCAG 1.4.10: content fits 320 CSS pixels wide without scrolling sideways.
    browser_page.page.set_viewport_size({"width": 320, "height": 640})
    browser_page.sign_in(live_server.create_user("staff", name="Alexandra Featherstonehaugh"))
    width = browser_page.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320
