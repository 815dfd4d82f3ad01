"""The browser harness catches what it promises to: WCAG violations, CSP breaches, skipped pages."""

from __future__ import annotations

import pytest

from tests.e2e.browser import BrowserPage, PageProblem, browser_unavailable
from tests.e2e.server import scratch_postgres_url

# The harness checking itself: the same on either database, so run on the first.
pytestmark = [pytest.mark.e2e, pytest.mark.presentation]


def test_an_accessibility_violation_fails_with_a_readable_report(
    browser_page: BrowserPage,
) -> None:
    browser_page.goto("/sign-in")
    browser_page.page.evaluate(
        """() => {
            const image = document.createElement("img");
            image.src = "/static/assets/images/favicon.svg";
            document.querySelector("main").append(image);
        }"""
    )
    with pytest.raises(PageProblem) as failure:
        browser_page.check()
    report = str(failure.value)
    assert "image-alt" in report
    assert "/sign-in" in report
    assert "<img" in report


def test_an_inline_script_breaks_the_csp_and_fails(browser_page: BrowserPage) -> None:
    browser_page.goto("/sign-in")
    ran = browser_page.page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.body.append(script);
            return window.inlineRan === true;
        }"""
    )
    assert ran is False  # the browser refused it
    with pytest.raises(PageProblem, match="Content Security Policy"):
        browser_page.check()


def test_an_inline_style_breaks_the_csp_and_fails(browser_page: BrowserPage) -> None:
    browser_page.goto("/sign-in")
    browser_page.page.evaluate(
        """() => {
            const style = document.createElement("style");
            style.textContent = "h1 { color: red }";
            document.head.append(style);
        }"""
    )
    with pytest.raises(PageProblem, match="Content Security Policy"):
        browser_page.check()


def test_a_page_left_unchecked_fails(browser_page: BrowserPage) -> None:
    browser_page.page.goto(browser_page.url("/sign-in"))
    browser_page.page.goto(browser_page.url("/healthz"))
    with pytest.raises(PageProblem, match="left without an accessibility check"):
        browser_page.check()


def test_an_unexpected_status_fails(browser_page: BrowserPage) -> None:
    with pytest.raises(PageProblem, match="answered 404, expected 200"):
        browser_page.goto("/no-such-page")
    browser_page.goto("/no-such-page", 404)  # and the 404 page itself passes the checks
    assert browser_page.heading == "Page not found"


def test_missing_browser_skips_unless_required() -> None:
    with pytest.raises(pytest.skip.Exception):
        browser_unavailable("no Chromium", required=False)
    with pytest.raises(pytest.fail.Exception, match="IG_REQUIRE_BROWSER=1"):
        browser_unavailable("no Chromium", required=True)


def test_postgres_scratch_database_is_named_after_the_test_database() -> None:
    url = scratch_postgres_url("postgresql+psycopg://postgres@127.0.0.1:5432/ig_ci")
    assert url == "postgresql+psycopg://postgres@127.0.0.1:5432/ig_ci_e2e"
