"""Browser-test fixtures: one Chromium per run, one live server per database, a page per test.

Chromium is Debian's (``IG_CHROMIUM``, default /usr/bin/chromium), driven by
Playwright's sync API; Playwright's own browser download is never used. Without
Chromium or axe-core the browser tests skip, unless ``IG_REQUIRE_BROWSER=1`` (CI),
where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, sync_playwright

from ig.crypto import KeyRing
from ig.policies import Policies
from tests.conftest import KEY_MATERIAL, POSTGRES_URL
from tests.e2e.browser import AXE_PATH, BrowserPage, browser_unavailable
from tests.e2e.server import LiveServer, live_settings, scratch_database

CHROMIUM = os.environ.get("IG_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("IG_REQUIRE_BROWSER") == "1"
# The network is closed here and in CI: without these Chromium keeps trying to reach
# Google's services and fills the logs with refused connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

OpenPage = Callable[..., BrowserPage]
T = TypeVar("T")


# One Playwright, one Chromium and one live server per database for the whole run,
# even when another test folder imports these fixtures (each import makes a separate
# fixture): two sync Playwrights cannot run at once, and two live servers would fight
# over the one PostgreSQL scratch database. Each is closed when its last user ends.
_shared: dict[str, tuple[Any, ExitStack, int]] = {}


@contextmanager
def shared(key: str, make: Callable[[ExitStack], T]) -> Iterator[T]:
    if key not in _shared:
        stack = ExitStack()
        try:
            _shared[key] = (make(stack), stack, 0)
        except BaseException:
            stack.close()
            raise
    value, stack, users = _shared[key]
    _shared[key] = (value, stack, users + 1)
    try:
        yield value
    finally:
        value, stack, users = _shared[key]
        if users == 1:
            del _shared[key]
            stack.close()
        else:
            _shared[key] = (value, stack, users - 1)


def _launch(stack: ExitStack) -> Browser:
    playwright = stack.enter_context(sync_playwright())
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    stack.callback(browser.close)
    return browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        browser_unavailable(
            f"Chromium not found at {CHROMIUM} (set IG_CHROMIUM or apt install chromium)",
            REQUIRE_BROWSER,
        )
    if not AXE_PATH.is_file():
        browser_unavailable(f"axe-core not found at {AXE_PATH} (run make install)", REQUIRE_BROWSER)
    with shared("browser", _launch) as browser:
        yield browser


@pytest.fixture(scope="session")
def live_server(
    browser: Browser,
    backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    keyring: KeyRing,
    policies: Policies,
) -> Iterator[LiveServer]:
    """The app served on 127.0.0.1 against its own fresh database, one per backend.

    Tests share it, so each creates its own users (unique e-mail addresses) and
    must not depend on what other tests wrote.
    """

    def serve(stack: ExitStack) -> LiveServer:
        directory = tmp_path_factory.mktemp(f"e2e-{backend}")
        url = stack.enter_context(scratch_database(backend, directory, POSTGRES_URL))
        settings = live_settings(url, directory / "instance", dict(KEY_MATERIAL))
        server = LiveServer(backend, url, settings, policies).start()
        stack.callback(server.stop)
        return server

    with shared(f"live_server:{backend}", serve) as server:
        yield server


@pytest.fixture
def open_page(
    browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[OpenPage]:
    """Open a checked page in a new browser context (its own cookies) per call.

    Keyword arguments go to ``browser.new_context`` (e.g. ``java_script_enabled=False``).
    Each page's last load is checked at the end of the test.
    """
    opened: list[tuple[Any, BrowserPage]] = []

    def open_one(**context_options: Any) -> BrowserPage:
        context = browser.new_context(base_url=live_server.base_url, **context_options)
        # Generous: a page computed on a 2-core machine under the whole suite's load can
        # take seconds; a broken page fails on its content, not on this wait.
        context.set_default_timeout(30_000)
        page = BrowserPage(
            context.new_page(),
            live_server.base_url,
            request.node.name,
            javascript=context_options.get("java_script_enabled", True),
            server=live_server,
        )
        opened.append((context, page))
        return page

    yield open_one
    try:
        for _context, page in opened:
            page.finish()
    finally:
        for context, _page in opened:
            context.close()


@pytest.fixture
def browser_page(open_page: OpenPage) -> BrowserPage:
    """A fresh, signed-out browser page whose every page is checked (see browser.py)."""
    return open_page()
