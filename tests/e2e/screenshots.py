"""Every page for every demo role, found the way a person finds them, and its screenshots.

``make screenshots`` (``python -m tests.e2e.screenshots``) loads the demo into a
scratch SQLite database, serves it, and writes a PNG of each page each demo role can
reach from the navigation (plus one record page per register and the print views) at
1280 and 390 pixels wide into ``screenshots/`` (git-ignored), so that whoever changes a
page can look at it. tests/e2e/test_every_page.py walks the same pages and asserts what
the pictures can only show.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from ig.demo import DemoLogin, demo_logins, load_demo
from ig.features import load_policies
from ig.settings import PROJECT_ROOT
from tests.e2e.server import LiveServer, live_settings

WIDTHS = (1280, 390)
# A record page per register, and the two print views, found as links on the pages
# visited: the first link whose path matches.
RECORD_PAGES = {
    "incident": r"^/incidents/(?!dashboard$|lookup$|report$|export\.csv$)[^/?]+$",
    "incident print view": r"^/incidents/[^/]+/print$",
    "Caldicott decision": r"^/caldicott/requests/(?!new$)[^/?]+$",
    "Caldicott print view": r"^/caldicott/requests/[^/]+/record$",
    "agreement": r"^/sharing/agreements/\d+$",
    "notice": r"^/notices/\d+$",
    "asset": r"^/assets/\d+$",
    "DPIA": r"^/dpias/\d+$",
    "processing activity": r"^/processing/\d+$",
    "processing print view": r"^/processing/print",
    "information rights request": r"^/rights/\d+$",
    "team": r"^/people/teams/\d+$",
    "staff member's training": r"^/training/staff/\d+$",
}
PRINT_VIEWS = ("incident print view", "Caldicott print view", "processing print view")
MENU_LINKS = 'nav[aria-label="Menu"] a[href]'
SECTION_LINKS = ".ig-subnav a[href]"


@dataclass(frozen=True)
class Visit:
    """A page to look at: its path, what it is, and whether it is a print view."""

    path: str
    name: str
    is_print: bool = False
    in_menu: bool = False  # in the menu or a section's own row, not a record


def hrefs(page: Page, selector: str = "a[href]") -> list[str]:
    """The same-site paths of the links matching ``selector``, in page order."""
    found = page.eval_on_selector_all(selector, "links => links.map(a => a.getAttribute('href'))")
    return [href for href in found if href and href.startswith("/")]


def walk(page: Page, open_path: Callable[[str], object]) -> Iterator[Visit]:
    """Open, one by one, every page ``page``'s signed-in person reaches; yield each open.

    The menu's sections first, each followed by its own pages (its second row), then
    one record of each register linked from those pages, then the records' print
    views. ``open_path`` opens a path in ``page`` (a test checks each page it opens);
    the caller looks at each page while the walk is stopped at it.
    """
    open_path("/")
    menu = [path for path in hrefs(page, MENU_LINKS) if "?" not in path]
    done: list[str] = []
    records: dict[str, str] = {}
    queue = list(menu)
    while queue:
        path = queue.pop(0)
        if path in done:
            continue
        if path != "/":
            open_path(path)
        done.append(path)
        if path in menu:  # a section: its own pages come next
            queue[:0] = [p for p in hrefs(page, SECTION_LINKS) if p not in done + queue]
        if path not in ("/", "/notifications"):  # records from the registers' own pages
            _find_records(page, records)
        yield Visit(path, _name(path), in_menu=True)
    for name in list(RECORD_PAGES):
        if name in records:
            open_path(records[name])
            _find_records(page, records)  # the print views are linked from the records
            yield Visit(records[name], name, is_print=name in PRINT_VIEWS)


def _find_records(page: Page, records: dict[str, str]) -> None:
    wanted = {name: pattern for name, pattern in RECORD_PAGES.items() if name not in records}
    for href in hrefs(page, "main a[href]") if wanted else []:
        for name, pattern in list(wanted.items()):
            if re.match(pattern, href):
                records[name] = href
                del wanted[name]


def _name(path: str) -> str:
    return path.strip("/").replace("/", "-") or "home"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "home"


@contextmanager
def demo_server(directory: Path) -> Iterator[tuple[LiveServer, list[DemoLogin]]]:
    """The app on a scratch SQLite database holding the demo, served on 127.0.0.1."""
    from tests.conftest import KEY_MATERIAL

    policies = load_policies(PROJECT_ROOT / "policies")
    url = f"sqlite:///{directory / 'screenshots.sqlite3'}"
    settings = live_settings(url, directory / "instance", dict(KEY_MATERIAL))
    server = LiveServer("sqlite", url, settings, policies).start()
    try:
        yield server, ensure_demo(server)
    finally:
        server.stop()


def ensure_demo(server: LiveServer) -> list[DemoLogin]:
    """Load the demo into the server's database unless it is there; its logins."""
    with server.database.session_scope() as session:
        if not demo_logins(session, server.policies):
            load_demo(session, server.policies)
    with server.database.session_scope() as session:
        return demo_logins(session, server.policies)


def shoot(browser: Browser, server: LiveServer, logins: list[DemoLogin], out: Path) -> int:
    """Write every page of every login at each width; the number of PNGs written."""
    written = 0
    for login in logins:
        user = server.existing_user(login.email, login.password)
        context = browser.new_context(base_url=server.base_url)
        context.add_cookies([server.session_cookie(user)])
        page = context.new_page()
        for number, visit in enumerate(walk(page, page.goto), 1):
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                folder = out / slug(login.roles[0]) / str(width)
                folder.mkdir(parents=True, exist_ok=True)
                name = f"{number:02d}-{slug(visit.name)}"
                page.screenshot(path=folder / f"{name}.png", full_page=True)
                written += 1
                if visit.is_print:
                    page.emulate_media(media="print")
                    page.screenshot(path=folder / f"{name}-print.png", full_page=True)
                    page.emulate_media(media="screen")
                    written += 1
        context.close()
    return written


def main(argv: list[str] | None = None) -> int:
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "screenshots")
    parser.add_argument("--role", action="append", help="only this demo role (repeatable)")
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    with ExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        server, logins = stack.enter_context(demo_server(directory))
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        stack.callback(browser.close)
        chosen = [login for login in logins if not args.role or login.roles[0] in args.role]
        written = shoot(browser, server, chosen, args.out)
    print(f"{written} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
