"""Browser journey of an FOI request refused in part, on a phone-width screen: the
refusal (refused until the public interest test is given), its printable notice, the
handler, and the answer published to the public disclosure log without who asked.
axe-core checks every page."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from ig.db import london_today
from tests.e2e.browser import BrowserPage
from tests.e2e.server import LiveServer

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= 390"
NAV_SHOWN = "() => document.querySelector('nav[aria-label=\"Menu\"]').checkVisibility()"


def test_an_foi_refusal_its_notice_and_the_disclosure_log(
    browser_page: BrowserPage, live_server: LiveServer, open_page: Callable[..., BrowserPage]
) -> None:
    tag = uuid.uuid4().hex[:6]
    team = browser_page
    team.page.set_viewport_size(PHONE)
    officer = live_server.create_user("information_rights_officer")
    team.sign_in_quickly(officer, "/rights/new")
    team.page.get_by_label("Freedom of information (FOIA s.1)", exact=True).check()
    team.fill_date("received_on", london_today())
    team.page.get_by_label("E-mail", exact=True).check()
    team.fill("Requester's name", f"Robin Quill {tag}")
    team.fill("What did they ask for?", "The trial's contract and its pricing schedule")
    team.submit("Log the request")
    reference = team.heading

    team.click_link("Refuse the request")
    assert team.page.evaluate(NO_SIDEWAYS_SCROLL)
    team.page.get_by_label(
        "Refused in part: some information is released, the rest withheld"
    ).check()
    team.page.select_option("#ground_1", "foi_s43")
    team.fill("Why ground 1 applies", "The rates would prejudice open tenders")
    team.submit("Record the refusal", status=422)
    assert "Enter the public interest reasoning" in team.page.inner_text("main")
    team.fill("Public interest test for ground 1", "Spending matters; fair tenders outweigh it")
    team.submit("Record the refusal")
    assert "Refused in part under s.43" in team.page.inner_text("main")

    team.page.select_option("#handler", label=officer.name)
    team.submit("Change the handler")
    team.click_link("The refusal notice, to print and send")
    notice = team.page.inner_text("main")
    assert "section 17 of the Freedom of Information Act 2000" in notice
    assert "internal review" in notice
    assert "Information Commissioner" in notice
    assert team.page.evaluate(NO_SIDEWAYS_SCROLL)
    assert team.page.evaluate(NAV_SHOWN)
    team.page.emulate_media(media="print")
    assert not team.page.evaluate(NAV_SHOWN)
    team.page.emulate_media(media="screen")

    team.goto("/rights/?mine=y")
    assert reference in team.page.inner_text("main")
    team.click_link(reference)
    team.click_link("Record the response")
    team.page.get_by_label("Partial", exact=True).check()
    team.fill_date("sent_on", london_today())
    team.fill("Note", "Contract released, pricing withheld")
    team.submit("Close the request")
    team.click_link("Publish the response to the disclosure log")
    team.fill("Title", f"Trial contract {tag}")
    team.fill("What was asked for", "The AI trial's contract and pricing")
    team.fill("What was released", "The contract; pricing withheld under s.43")
    team.submit("Publish to the disclosure log")

    public = open_page()
    public.page.set_viewport_size(PHONE)
    public.goto("/rights/disclosure-log")
    log = public.page.inner_text("main")
    assert f"Trial contract {tag}" in log
    assert "withheld under s.43" in log
    assert "Robin Quill" not in log
    assert public.page.evaluate(NO_SIDEWAYS_SCROLL)
