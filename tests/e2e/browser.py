"""A Playwright page that checks every page it visits: axe-core (WCAG 2.2 AA) and the CSP."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import pytest
from playwright.sync_api import ConsoleMessage, Page, Request, Response

from ig.settings import PROJECT_ROOT
from tests.conftest import BACKENDS
from tests.e2e.server import E2EUser, LiveServer

AXE_PATH = PROJECT_ROOT / "ig" / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
# The Public Sector Bodies Accessibility Regulations 2018 require WCAG 2.2 A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = os.environ.get("IG_E2E_SCREENSHOTS")
CODE_LABEL = "Code from your authenticator app, or a recovery code"
_shots = itertools.count(1)


NO_TIMERS = """() => {
    window.setTimeout = (callback, _delay, ...args) => {
        Promise.resolve().then(() => callback(...args));
        return 0;
    };
    window.clearTimeout = () => undefined;
}"""


def browser_unavailable(reason: str, required: bool) -> NoReturn:
    """Skip the browser tests, or fail them when they are ``required`` (CI)."""
    if required:
        pytest.fail(f"{reason} (IG_REQUIRE_BROWSER=1 requires the browser tests)", pytrace=False)
    pytest.skip(reason)


class PageProblem(AssertionError):
    """A page failed the accessibility check, broke the CSP or failed to load a resource."""


def format_violations(url: str, title: str, violations: list[dict[str, Any]]) -> str:
    """axe-core's violations as readable text: rule, impact, help link, each failing node."""
    lines = [f"{len(violations)} accessibility violation(s) on {url} ({title!r}):"]
    for violation in violations:
        tags = ", ".join(tag for tag in violation["tags"] if tag.startswith("wcag"))
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']} ({tags})"
            f"\n      {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"      - {' '.join(map(str, node['target']))}: {summary}")
            lines.append(f"        {node['html'][:200]}")
    return "\n".join(lines)


class BrowserPage:
    """Wraps a Playwright ``Page`` (``.page``) on the live server.

    The navigation helpers (``goto``, ``submit``, ``click_link``, ``follow``) wait
    for the new page, check its HTTP status, run axe-core on it (see
    ``_audits_accessibility``) and raise
    PageProblem on any WCAG 2.2 A/AA violation, any CSP violation, any script error
    or any sub-resource (style sheet, script, image) that failed to load. A page
    reached some other way is checked at the next helper call or at the end of the
    test; a page left before it could be checked fails the test.
    """

    def __init__(
        self,
        page: Page,
        base_url: str,
        name: str = "page",
        javascript: bool = True,
        server: LiveServer | None = None,
    ) -> None:
        self.page = page
        self.server = server
        self.javascript = javascript
        self.base_url = base_url
        self.name = re.sub(r"[^\w.-]+", "_", name)
        self.problems: list[str] = []
        self._unchecked_loads = 0
        self._axe_source = AXE_PATH.read_text(encoding="utf-8")
        page.on("load", self._on_load)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)

    # Navigation -------------------------------------------------------------------

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base_url + path

    def goto(self, path: str, status: int | tuple[int, ...] = 200) -> Response:
        """Open ``path`` on the live server; check the status and the page."""
        return self.follow(lambda: self.page.goto(self.url(path)), status)

    def submit(
        self, button: str = "Continue", status: int | tuple[int, ...] = 200, *, check: bool = True
    ) -> Response:
        """Press the button named ``button``; check the page that comes back."""
        return self.follow(
            lambda: self.page.get_by_role("button", name=button, exact=True).click(),
            status,
            check=check,
        )

    def click_link(self, name: str, status: int | tuple[int, ...] = 200) -> Response:
        return self.follow(
            lambda: self.page.get_by_role("link", name=name, exact=True).click(), status
        )

    def follow(
        self,
        action: Callable[[], object],
        status: int | tuple[int, ...] = 200,
        *,
        check: bool = True,
    ) -> Response:
        """Run ``action``, which must load a new page, then check that page.

        ``check=False`` skips axe-core, only for a page this test has already checked
        in the same state (the same form refused again, say); CSP and script errors
        are still reported at the next check.
        """
        with self.page.expect_navigation() as navigation:
            action()
        response = navigation.value
        if response is None:
            raise PageProblem(f"no response for {self.page.url}")
        if response.status not in (status if isinstance(status, tuple) else (status,)):
            text = self.page.inner_text("body")[:1000]
            self._unchecked_loads = 0  # this failure is reported; the page needs no other
            raise PageProblem(
                f"{self.page.url} answered {response.status}, expected {status}:\n{text}"
            )
        if check:
            self.check()
        else:
            self.page.title()  # a round trip, so this page's load event has arrived
            self._unchecked_loads = 0
        return response

    def fill(self, label: str, value: str) -> None:
        """Type ``value`` into the field whose label is ``label``."""
        self.page.get_by_label(label, exact=True).fill(value)

    def fill_date(self, name: str, day: dt.date) -> None:
        """Type ``day`` into the GOV.UK date input of field ``name`` (its three boxes)."""
        self.page.fill(f"#{name}-day", str(day.day))
        self.page.fill(f"#{name}-month", str(day.month))
        self.page.fill(f"#{name}-year", str(day.year))

    def pick(self, label: str, typed: str, choice: str) -> None:
        """Type ``typed`` into the picker labelled ``label`` (the accessible autocomplete
        of templates/_macros/picker.html) and choose its suggestion ``choice``."""
        field = self.page.get_by_role("combobox", name=label, exact=True)
        field.fill("")
        field.press_sequentially(typed, delay=20)
        listbox = self.page.get_by_role("listbox")
        listbox.get_by_role("option", name=choice, exact=True).first.click()
        if field.input_value() != choice:
            raise AssertionError(f"{label}: picked {field.input_value()!r}, not {choice!r}")

    def sign_in(self, user: E2EUser, password: str | None = None) -> None:
        """Sign in through the sign-in page, entering a TOTP code if the user has one."""
        self.goto("/sign-in")
        self.fill("Email address", user.email)
        self.fill("Password", password or user.password)
        self.submit("Sign in")
        if user.totp_secret is not None:
            self.fill(CODE_LABEL, user.next_code())
            self.submit("Continue")

    def sign_in_quickly(self, user: E2EUser, path: str = "/") -> None:
        """Start signed in as ``user`` (no sign-in pages), then open ``path``."""
        if self.server is None:
            raise ValueError("this page was opened without its live server")
        self.page.context.add_cookies([self.server.session_cookie(user)])
        self.goto(path)

    @property
    def heading(self) -> str:
        return self.page.locator("h1").first.inner_text().strip()

    # Checks -----------------------------------------------------------------------

    def check(self) -> None:
        """Run axe-core on the current page; raise PageProblem listing everything wrong."""
        if self.page.is_closed():
            return
        # A round trip (it works with JavaScript off too): the load events of the pages
        # before this one have arrived by the time it answers.
        loaded = self.page.evaluate("() => typeof window.axe") != "undefined"
        result = self._axe(loaded) if self._audits_accessibility() else {"violations": []}
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            shot = Path(SCREENSHOTS) / f"{next(_shots):03d}-{self.name}.png"
            self.page.screenshot(path=shot, full_page=True)
        loads, self._unchecked_loads = self._unchecked_loads, 0
        problems, self.problems = self.problems, []
        if loads > 1:
            problems.append(
                f"{loads - 1} page(s) were loaded and left without an accessibility check: "
                "navigate with goto/submit/click_link/follow, or call check() on each page"
            )
        if result["violations"]:
            problems.append(
                format_violations(self.page.url, self.page.title(), result["violations"])
            )
        if problems:
            raise PageProblem("\n".join(problems))

    def _audits_accessibility(self) -> bool:
        """axe-core looks at markup, which the templates make the same on every database:
        the journeys on the first of IG_TEST_DATABASES run it, those on the others (and
        every page's status, CSP and script errors) are checked without it."""
        return self.server is None or self.server.backend == BACKENDS[0]

    def _axe(self, loaded: bool) -> dict[str, Any]:
        """axe-core's WCAG 2.2 A and AA violations on the page, loading it if need be."""
        if not loaded:
            self.page.evaluate(self._axe_source)
            if not self.javascript:
                # With scripting off, timers never fire and axe.run would wait for ever;
                # run its queued callbacks as microtasks instead (no page script runs).
                self.page.evaluate(NO_TIMERS)
        return self.page.evaluate(  # type: ignore[no-any-return]
            "options => window.axe.run(document, options)",
            {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
        )

    def finish(self) -> None:
        """At the end of a test: check the last page if no helper did."""
        if self._unchecked_loads or self.problems:
            self.check()

    def _on_load(self, page: Page) -> None:
        if page.url.startswith(self.base_url):
            self._unchecked_loads += 1

    def _on_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.problems.append(f"CSP violation on {self.page.url}: {message.text}")

    def _on_response(self, response: Response) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            self.problems.append(f"{response.url} answered {response.status}")

    def _on_request_failed(self, request: Request) -> None:
        # ERR_ABORTED is Chromium cancelling a request itself because the page moved on
        # (typically the favicon during a quick navigation): no fault of the page.
        if request.resource_type != "document" and "ERR_ABORTED" not in (request.failure or ""):
            self.problems.append(f"{request.url} failed to load: {request.failure}")
