"""Every page of every demo role, looked at in the browser at 1280 and 390 pixels wide.

For each role the pages are found as a person finds them (the menu, each section's own
pages, a record of each register linked from those, the print views linked from the
records; tests/e2e/screenshots.py walks the same list for ``make screenshots``), and
each is held to what people see: no sideways scroll, one current navigation item,
every table in its own labelled scroll region, chart bars as wide as their figures say,
axe-core clean, and the print views marked and free of navigation.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

import pytest

from ig.navigation import SECTIONS
from ig.web import load_marking
from tests.e2e.browser import BrowserPage
from tests.e2e.conftest import OpenPage
from tests.e2e.screenshots import Visit, ensure_demo, walk
from tests.e2e.server import LiveServer

# Layout, charts and print styles are the templates' and the style sheet's, the same on
# either database: the walk runs on the first (the journeys run on every database).
pytestmark = [pytest.mark.e2e, pytest.mark.presentation]
# The information rights officer is not walked on their own: the IG officer holds the
# same rights permissions, so the walk reaches every rights page as the officer.
ROLES = (
    "ig_officer",
    "caldicott_guardian",
    "siro",
    "manager",
    "staff",
    "auditor",
    "administrator",
)
# The records each of these roles must reach (others reach what their work needs).
RECORDS = {
    "ig_officer": {
        "information rights request",
        "incident",
        "incident print view",
        "Caldicott decision",
        "Caldicott print view",
        "agreement",
        "notice",
        "asset",
        "DPIA",
        "processing activity",
        "processing print view",
        "team",
    },
    "auditor": {
        "incident",
        "Caldicott decision",
        "agreement",
        "notice",
        "asset",
        "DPIA",
        "processing activity",
        "team",
    },
    "staff": {"incident"},
    "manager": {"staff member's training"},
    "administrator": {"team"},
}
PHONE, LAPTOP = 390, 1280

LAYOUT = """() => {
    const root = document.documentElement;
    const menu = document.querySelector('nav[aria-label="Menu"]');
    const tables = [...document.querySelectorAll(
        'main table.govuk-table, main table.ig-report-table')];
    return {
        scrollWidth: root.scrollWidth,
        clientWidth: root.clientWidth,
        menuMarked: menu ? [...menu.querySelectorAll('[aria-current]')].map(
            a => [a.textContent.trim(), a.getAttribute('aria-current')]) : [],
        pageMarked: [...document.querySelectorAll('header a[aria-current="page"]')].map(
            a => a.getAttribute('href')),
        unwrapped: tables.filter(t => {
            const box = t.parentElement;
            return !(box.classList.contains('ig-table-scroll')
                && box.getAttribute('role') === 'region'
                && box.getAttribute('tabindex') === '0'
                && (box.getAttribute('aria-label') || '').trim().length > 0);
        }).length,
        // A register's page (ig-wide) is as wide as the screen allows so that on a laptop
        // its tables show every column (only a matrix, ig-matrix, may scroll in its
        // region); the regions that still hide columns, one pixel over being rounding.
        hiddenColumns: document.body.classList.contains('ig-wide') ? [
            ...document.querySelectorAll('main .ig-table-scroll')].filter(box =>
            !box.querySelector('.ig-matrix') && box.scrollWidth > box.clientWidth + 1).map(
            box => box.getAttribute('aria-label')) : [],
        // The home page's tasks: whether each is past its deadline (a red count).
        overdueTasks: [...document.querySelectorAll('main .govuk-task-list__item')].map(
            item => !!item.querySelector('.govuk-tag--red')),
        firstColumns: tables.map(t => {
            const cell = t.querySelector('tr > :first-child');
            if (!cell) return null;
            const box = cell.getBoundingClientRect();
            return [box.left, box.right, box.width];
        }).filter(Boolean),
    };
}"""

CHARTS = """() => [...document.querySelectorAll('.ig-chart')].map(chart =>
    [...chart.querySelectorAll('.ig-chart__row')].map(row => ({
        value: row.querySelector('.ig-chart__value').textContent.trim(),
        bar: row.querySelector('.ig-chart__bar').getBoundingClientRect().width,
        track: row.querySelector('.ig-chart__track').getBoundingClientRect().width,
    })))"""

PRINTED = """() => {
    const shown = el => !!el && getComputedStyle(el).display !== 'none'
        && getComputedStyle(el).visibility !== 'hidden'
        && el.getBoundingClientRect().height > 0;
    const marks = [...document.querySelectorAll('.ig-marking')];
    const signOut = [...document.querySelectorAll('button, a')].find(
        el => el.textContent.trim() === 'Sign out');
    return {
        marks: marks.map(el => [el.textContent.trim(), getComputedStyle(el).position,
            shown(el), el.getBoundingClientRect().top, el.getBoundingClientRect().bottom]),
        navigation: [...document.querySelectorAll('nav, .govuk-service-navigation')].some(shown),
        signOut: shown(signOut),
        printedBy: [...document.querySelectorAll('.ig-printed-by')].filter(shown).map(
            el => el.textContent.trim()),
        height: window.innerHeight,
    };
}"""


def section_of(path: str, paths: dict[str, str]) -> str:
    """The label of the menu section a path belongs to (``paths``: endpoint to path)."""
    for section in SECTIONS:
        if any(paths[endpoint] == path for _label, endpoint in section.pages):
            return section.label
    for section in SECTIONS:
        landing = paths[section.pages[0][1]]
        if landing != "/" and path.startswith(landing):
            return section.label
    return "Admin" if path.startswith("/people/") else ""


def check_layout(page: BrowserPage, visit: Visit, width: int, section: str) -> None:
    layout: dict[str, Any] = page.page.evaluate(LAYOUT)
    where = f"{visit.path} at {width}px"
    assert layout["scrollWidth"] <= layout["clientWidth"], (
        f"{where} scrolls sideways: {layout['scrollWidth']} > {layout['clientWidth']}"
    )
    assert layout["unwrapped"] == 0, f"{where}: a table outside a labelled scroll region"
    if width == LAPTOP:
        assert layout["hiddenColumns"] == [], f"{where}: columns off to the side"
    overdue = layout["overdueTasks"]
    assert overdue == sorted(overdue, reverse=True), f"{where}: an overdue task below others"
    for left, right, column in layout["firstColumns"]:
        # The first column (a reference or name) is on screen and wide enough to read.
        assert left >= 0, where
        assert right <= width, where
        assert column >= 60, f"{where}: first column only {column}px wide"
    marked = layout["menuMarked"]
    assert [label for label, _value in marked] == [section], f"{where}: {marked}"
    assert len(layout["pageMarked"]) <= 1, f"{where}: {layout['pageMarked']}"
    if visit.in_menu:
        assert layout["pageMarked"] == [visit.path], f"{where}: {layout['pageMarked']}"


def check_charts(page: BrowserPage, visit: Visit) -> int:
    """Each bar's width against its figure; the number of bars checked."""
    checked = 0
    for rows in page.page.evaluate(CHARTS):
        percent = all(row["value"].endswith("%") for row in rows)
        values = [float(row["value"].rstrip("%")) for row in rows]
        scale = 100.0 if percent else max(values, default=0.0)
        for row, value in zip(rows, values, strict=True):
            if value > 0:
                assert row["bar"] > 0, f"{visit.path}: the bar for {row['value']} is blank"
            expected = row["track"] * value / scale if scale else 0.0
            # Widths come in whole per cent of the track: that and a pixel of rounding.
            tolerance = row["track"] / 100 + 1
            assert abs(row["bar"] - expected) <= tolerance, (
                f"{visit.path}: bar {row['bar']:.1f}px for {row['value']}, "
                f"expected {expected:.1f}px of {row['track']:.1f}px"
            )
            checked += 1
    return checked


def check_print(page: BrowserPage, visit: Visit, marking: str, name: str) -> None:
    page.page.emulate_media(media="print")
    try:
        printed = page.page.evaluate(PRINTED)
    finally:
        page.page.emulate_media(media="screen")
    label = f"Protective marking: {marking}"  # the first two words are visually hidden
    assert [mark[:3] for mark in printed["marks"]] == [
        [label, "fixed", True],
        [label, "fixed", True],
    ], visit.path
    top, bottom = printed["marks"][0], printed["marks"][1]
    assert top[3] <= 1, f"{visit.path}: the marking is not at the top of the page"
    assert bottom[4] >= printed["height"] - 1, f"{visit.path}: nor at the bottom"
    assert printed["navigation"] is False, f"{visit.path}: navigation shows in print"
    assert printed["signOut"] is False, f"{visit.path}: sign-out shows in print"
    assert len(printed["printedBy"]) == 1, visit.path
    assert re.fullmatch(
        rf"Printed by {re.escape(name)} on \d{{1,2}} [A-Z][a-z]+ \d{{4}} at "
        r"(midday|midnight|\d{1,2}(:\d\d)?(am|pm))\. Handle as .*",
        printed["printedBy"][0],
    ), printed["printedBy"][0]


def test_every_page_for_every_role_fits_and_tells_the_truth(
    open_page: OpenPage, live_server: LiveServer
) -> None:
    from flask import url_for

    logins = {login.roles[0]: login for login in ensure_demo(live_server)}
    with live_server.app.test_request_context():
        paths = {e: url_for(e) for section in SECTIONS for _label, e in section.pages}
    marking = load_marking(live_server.app.extensions["ig.settings"].policies_dir)
    axed: set[str] = set()
    bars = printed = 0
    for role in ROLES:
        user = live_server.existing_user(logins[role].email, logins[role].password)
        page = open_page(viewport={"width": LAPTOP, "height": 900})
        page.sign_in_quickly(user)

        def open_path(path: str, page: BrowserPage = page) -> None:
            # axe-core once per page (the first role to reach it): it is the slow part.
            if path != "/":
                page.follow(partial(page.page.goto, page.url(path)), check=path not in axed)
            axed.add(path)

        found = set()
        for visit in walk(page.page, open_path):
            found.add(visit.name)
            for width in (LAPTOP, PHONE):  # the same page, resized in place
                page.page.set_viewport_size({"width": width, "height": 900})
                check_layout(page, visit, width, section_of(visit.path, paths))
            page.page.set_viewport_size({"width": LAPTOP, "height": 900})
            bars += check_charts(page, visit)
            if visit.is_print:
                check_print(page, visit, marking, user.name)
                printed += 1
        assert RECORDS.get(role, set()) <= found, f"{role} reached only {sorted(found)}"
        page.page.context.close()
    assert printed >= 2, "expected the print views to be checked"
    assert bars >= 20, "expected the dashboards' and figures' charts to be checked"
