"""Browser journey: a member of staff asks to share health information for one person's
care with a borough that has no agreement, reads what to check (Caldicott Principle 7),
and records the decision through the prefilled Caldicott request; axe checks each page."""

from __future__ import annotations

import datetime as dt

import pytest

from ig.db import utcnow
from tests.e2e.browser import BrowserPage
from tests.e2e.conftest import OpenPage
from tests.e2e.server import LiveServer
from tests.e2e.test_sharing import prepare

pytestmark = pytest.mark.e2e
WESTMINSTER = "E09000033"  # a London borough with no agreement, in the demo or here


def ask(page: BrowserPage, partner: str, category: str, purpose: str) -> str:
    page.goto("/sharing/check")
    page.fill("Partner organisation", partner)
    page.page.get_by_label("Kind of data").select_option(category)
    page.page.get_by_label("Purpose").select_option(purpose)
    page.submit("Check")
    return page.page.inner_text("main")


def fits(page: BrowserPage) -> bool:
    return bool(
        page.page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_direct_care_without_an_agreement_says_what_to_check_and_records_it(
    live_server: LiveServer, open_page: OpenPage, width: int
) -> None:
    prepare(live_server)
    staff = open_page(viewport={"width": width, "height": 900})
    staff.sign_in(live_server.create_user("staff"))
    main = ask(staff, WESTMINSTER, "health", "direct_care")
    assert "you may share it for this person's care" in main
    assert "Do not share unless" not in main
    assert "Caldicott Principle 7" in staff.page.locator(".govuk-inset-text").inner_text()
    checks = staff.page.locator("#care-checks li")
    assert checks.count() == 5
    for index in range(5):
        box = checks.nth(index).bounding_box()
        assert box is not None
        assert box["width"] > 100
        assert box["height"] > 0
    assert fits(staff), "the answer must not make the page scroll sideways"

    staff.click_link("Record the decision to share")
    assert staff.heading == "Raise a Caldicott request"
    purpose = staff.page.get_by_label("Purpose", exact=True).input_value()
    assert purpose.startswith("Direct care and support of the individual: sharing health")
    assert "(Caldicott Principle 7)" in purpose
    organisation = staff.page.get_by_role("combobox", name="Their organisation", exact=True)
    assert organisation.input_value() == "Westminster"
    assert staff.page.get_by_label("Health information", exact=True).is_checked()
    assert staff.page.get_by_label("Other", exact=True).is_checked()

    staff.fill("Name of the person asking", "Sam Patel")
    staff.fill("Their role", "Hospital social worker")
    staff.fill("Information involved", "Care and support plan, current medication")
    staff.fill("How many people's information", "1")
    staff.fill("Details of the case", "Discharge to a care home in Westminster tomorrow")
    staff.page.get_by_label("Routine", exact=True).check()
    staff.fill_date("needed_by", utcnow().date() + dt.timedelta(days=2))
    staff.submit("Raise request")
    assert "raised" in staff.page.inner_text("main")
    assert staff.page.url.split("/caldicott/requests/")[1].startswith("CG-")


def test_other_purposes_keep_the_plain_no(live_server: LiveServer, open_page: OpenPage) -> None:
    prepare(live_server)
    staff = open_page()
    staff.sign_in(live_server.create_user("staff"))
    main = ask(staff, WESTMINSTER, "identity", "commissioning")
    assert "No agreement covers this. Do not share unless" in main
    assert "for this person's care" not in main
    href = staff.page.get_by_role("link", name="Ask the Caldicott Guardian").get_attribute("href")
    assert href is not None
    assert "type=new_data_flow" in href
