"""Browser journey: the IG officer generates the quarter's report, prints it as a board
paper, downloads a section as CSV and reads it on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.browser import BrowserPage
from tests.e2e.server import LiveServer

pytestmark = pytest.mark.e2e

PRINTED = """() => {
    const shown = el => !!el && getComputedStyle(el).display !== 'none'
        && el.getBoundingClientRect().height > 0;
    return {
        navigation: [...document.querySelectorAll('nav, .govuk-service-navigation')].some(shown),
        marks: [...document.querySelectorAll('.ig-marking')].filter(shown).map(
            el => [el.textContent.trim(), getComputedStyle(el).position]),
        issued: [...document.querySelectorAll('.ig-report-issue')].filter(shown).map(
            el => getComputedStyle(el).position),
        fits: document.documentElement.scrollWidth <= document.documentElement.clientWidth,
    };
}"""
WIDTH = "() => document.documentElement.scrollWidth"
# An A4 page's width inside the print margins of app.scss (210 mm less 2 x 14 mm), in CSS px.
A4_PRINTED_PX = 688
TRENDS = """() => {
    const charts = [...document.querySelectorAll('.ig-trend-chart')];
    const table = document.querySelector('.ig-report-table--trends');
    const region = table.closest('.ig-table-scroll');
    const dot = document.querySelector('#ig-trend-dot circle');
    return {
        charts: charts.length,
        rows: table.querySelectorAll(':scope > tbody > tr').length,
        chartRows: new Set(charts.map(c => Math.round(c.getBoundingClientRect().top))).size,
        markers: [...new Set([...document.querySelectorAll('.ig-trend-chart polyline')].map(
            line => getComputedStyle(line).markerMid))],
        dot: dot ? getComputedStyle(dot).fill : 'none',
        tableFits: region.scrollWidth <= region.clientWidth,
        // A chart with nothing to plot says so rather than showing blank axes.
        blank: charts.filter(c => !c.querySelector('polyline')
            && !c.textContent.includes('No figures in these quarters')).length,
        bytes: document.documentElement.outerHTML.length,
    };
}"""


def test_the_officer_generates_prints_and_downloads_the_quarters_report(
    browser_page: BrowserPage, live_server: LiveServer, tmp_path: Path
) -> None:
    officer = live_server.create_user("ig_officer")
    browser_page.sign_in_quickly(officer, "/reports/")
    page = browser_page.page
    page.select_option("#quarter", index=1)  # the last quarter completed
    browser_page.submit("Generate the quarter's report")
    assert browser_page.heading.startswith("IG report, Q")
    assert "Glossary" in page.inner_text("main")
    trends = page.evaluate(TRENDS)
    assert trends["charts"] == trends["rows"] > 0  # a chart per headline figure, one table row
    assert trends["chartRows"] < trends["charts"]  # small multiples side by side on a desktop
    assert trends["markers"] == ['url("#ig-trend-dot")']  # every quarter's dot drawn
    assert trends["dot"] not in ("none", "rgba(0, 0, 0, 0)")  # the one dot, filled
    assert trends["tableFits"], "the trends table scrolls sideways on a desktop"
    assert trends["blank"] == 0
    assert trends["bytes"] < 100_000

    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_PRINTED_PX, "height": 900})
    try:
        printed = page.evaluate(PRINTED)
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 1280, "height": 900})
    assert printed["fits"], "the printed report is wider than an A4 page"
    assert printed["navigation"] is False
    marking = "Protective marking: OFFICIAL"
    assert printed["marks"] == [[marking, "fixed"], [marking, "fixed"]]
    assert printed["issued"] == ["fixed"]  # the date of issue on every page too

    with page.expect_download() as download:
        page.get_by_role("link", name="Download incidents as CSV").click()
    saved = tmp_path / "incidents.csv"
    download.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("report,period start,period end,section,figure")
    assert any(",incidents.reported," in line for line in lines[1:])

    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate(WIDTH) <= 390, "the report scrolls sideways on a phone"
    browser_page.click_link("The scrutiny-panel version")
    assert page.evaluate(WIDTH) <= 390, "the scrutiny version scrolls sideways on a phone"
    assert officer.email not in page.inner_text("main")
