"""Browser journey: picking one organisation among many on the Caldicott log, with the
accessible autocomplete (at phone and laptop widths) and without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ig.db import utcnow
from ig.people.models import Organisation, OrganisationKind
from tests.e2e.browser import BrowserPage
from tests.e2e.conftest import OpenPage
from tests.e2e.server import LiveServer

pytestmark = pytest.mark.e2e
FITS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
LABEL = "Requesting organisation"


def organisations(live_server: LiveServer) -> tuple[str, dict[str, int]]:
    """Thirty partners sharing a word unique to this run; returns the word and their ids."""
    word = f"Pickerton{int(utcnow().timestamp() * 1000)}"
    with live_server.database.session_scope() as session:
        made = [
            Organisation(name=f"{word} Care Trust {i:02d}", kind=OrganisationKind.PROVIDER)
            for i in range(30)
        ]
        session.add_all(made)
        session.flush()
        return word, {o.name: o.id for o in made}


def assert_fits(page: BrowserPage) -> None:
    scroll_width, client_width = page.page.evaluate(FITS)
    assert scroll_width <= client_width, f"{scroll_width}px wide in {client_width}px"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_autocomplete_suggests_and_picks_an_organisation(
    live_server: LiveServer, open_page: OpenPage, width: int
) -> None:
    word, ids = organisations(live_server)
    wanted = f"{word} Care Trust 07"
    page = open_page(viewport={"width": width, "height": 900})
    page.sign_in_quickly(live_server.create_user("ig_officer"), "/caldicott/")
    field = page.page.get_by_role("combobox", name=LABEL)
    field.press_sequentially(f"{word} Care Trust 0", delay=20)
    suggestions = page.page.get_by_role("listbox")
    option = suggestions.get_by_role("option", name=wanted, exact=True)
    expect(suggestions.get_by_role("option")).to_have_count(10)  # the last query's answer
    page.check()  # axe, with the suggestions open
    assert_fits(page)
    option.click()
    assert field.input_value() == wanted
    assert page.page.locator('input[type="hidden"][name="organisation"]').input_value() == str(
        ids[wanted]
    )
    page.submit("Filter")
    assert f"organisation={ids[wanted]}" in page.page.url
    assert page.page.get_by_role("combobox", name=LABEL).input_value() == wanted
    assert_fits(page)


def test_without_javascript_an_ambiguous_name_offers_its_matches(
    live_server: LiveServer, open_page: OpenPage
) -> None:
    word, ids = organisations(live_server)
    page = open_page(java_script_enabled=False, viewport={"width": 390, "height": 900})
    page.sign_in_quickly(live_server.create_user("ig_officer"), "/caldicott/")
    page.fill(LABEL, f"{word} care trust 1")
    page.submit("Filter", status=422)
    assert "10 match" in page.page.inner_text("main")
    assert_fits(page)
    page.page.get_by_label(f"{word} Care Trust 12", exact=True).check()
    page.submit("Filter")
    assert f"organisation={ids[f'{word} Care Trust 12']}" in page.page.url
    page.fill(LABEL, "No such organisation anywhere")
    page.submit("Filter", status=422)
    assert (
        "No organisation matches \u201cNo such organisation anywhere\u201d"
        in page.page.inner_text("main")
    )
