"""Browser journeys of an information rights request through the information asset
owners' searches: an erasure from receipt, through two owners' tasks, to closure (refused
while a search is open); and a withdrawal of consent from an AI trial to its removals.
axe-core checks every page."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from ig.auth.models import User
from ig.db import london_today
from ig.processing.rules import LawfulBasis
from tests.e2e.browser import BrowserPage
from tests.e2e.server import E2EUser, LiveServer
from tests.factories import make_asset
from tests.processing.data import make_activity

pytestmark = pytest.mark.e2e


def _assets(live_server: LiveServer, tag: str) -> tuple[list[str], list[E2EUser]]:
    owners = [live_server.create_user("manager") for _ in range(2)]
    names = [f"Social care recordings {tag}", f"Transcripts store {tag}"]
    with live_server.database.session_scope() as session:
        for name, owner in zip(names, owners, strict=True):
            make_asset(session, owner=session.get(User, owner.id), name=name)
    return names, owners


def _owner_records(page: BrowserPage, owner: E2EUser, asset: str, reference: str) -> None:
    """The owner finds the search on their home page and opens it."""
    page.sign_in_quickly(owner)
    page.click_link("Search your systems for information rights requests")
    page.click_link(f"Search {asset} for {reference}")
    page.page.get_by_label("Yes", exact=True).check()


def test_an_erasure_from_receipt_through_two_owners_searches_to_closure(
    browser_page: BrowserPage, live_server: LiveServer, open_page: Callable[..., BrowserPage]
) -> None:
    tag = uuid.uuid4().hex[:6]
    (first, second), (first_owner, second_owner) = _assets(live_server, tag)
    team = browser_page
    team.sign_in_quickly(live_server.create_user("information_rights_officer"), "/rights/new")
    team.page.get_by_label("Erasure (UK GDPR Art. 17)", exact=True).check()
    team.fill_date("received_on", london_today())
    team.page.get_by_label("Letter", exact=True).check()
    team.fill("Requester's name", f"David Ellis {tag}")
    team.fill("What did they ask for?", "Erase the recordings of my assessment visits")
    team.submit("Log the request")
    reference = team.heading
    for asset in (first, second):
        team.click_link("Ask an information asset owner to search")
        team.pick("Information asset to search", asset, asset)
        team.fill(
            "Why this search is reasonable and proportionate",
            "The trial's recordings and transcripts are held in these two systems only",
        )
        team.submit("Ask the asset's owner to search")
    team.click_link("Record the response")
    team.page.get_by_label("Complete", exact=True).check()
    team.fill_date("sent_on", london_today())
    team.submit("Close the request", status=422)
    assert "searches are still open" in team.page.inner_text("main")

    owner = open_page()
    _owner_records(owner, first_owner, first, reference)
    owner.fill("What did the search find?", "Three recordings of visits")
    owner.page.get_by_label("Deleted", exact=True).check()
    owner.fill_date("removed_on", london_today())
    owner.submit("Record the search")
    assert "No searches are waiting for you" in owner.page.inner_text("main")

    other = open_page()
    _owner_records(other, second_owner, second, reference)
    other.fill("What did the search find?", "A transcript filed in the case record")
    other.page.get_by_label("Kept, under an exemption", exact=True).check()
    other.page.get_by_label("Exemption that allows it to be kept", exact=True).select_option(
        "legal_obligation"
    )
    other.fill("Why must it be kept?", "The assessment record the Care Act requires")
    other.submit("Record the search")

    team.goto(team.page.url.removesuffix("/close"))
    main = team.page.inner_text("main")
    assert "Deleted on" in main
    assert "The assessment record the Care Act requires" in main
    team.click_link("Record the response")
    team.page.get_by_label("Partial", exact=True).check()
    team.fill_date("sent_on", london_today())
    team.fill("Note", "A transcript is kept as the statutory assessment record")
    team.submit("Close the request")
    assert "Partial" in team.page.inner_text("main")


def test_a_consent_withdrawal_from_the_ai_trial_to_its_removals(
    browser_page: BrowserPage, live_server: LiveServer, open_page: Callable[..., BrowserPage]
) -> None:
    tag = uuid.uuid4().hex[:6]
    (first, second), (first_owner, second_owner) = _assets(live_server, tag)
    trial = f"AI transcription trial {tag}"
    with live_server.database.session_scope() as session:
        make_activity(
            session, session.get(User, first_owner.id), name=trial,
            lawful_basis=LawfulBasis.CONSENT, art9_condition="explicit_consent",
            schedule_1_condition="", relies_on_consent=True, assets=(first, second),
        )  # fmt: skip
    team = browser_page
    team.sign_in_quickly(live_server.create_user("information_rights_officer"), "/rights/new")
    team.page.get_by_label("Withdrawal of consent (UK GDPR Art. 7(3))", exact=True).check()
    team.fill_date("received_on", london_today())
    team.page.get_by_label("E-mail", exact=True).check()
    team.fill("Requester's name", f"Margaret Ellis {tag}")
    team.fill("What did they ask for?", "Withdraws her consent to the AI transcription trial")
    team.submit("Log the request")
    reference = team.heading
    team.click_link("Record the consent withdrawn")
    team.page.get_by_label(trial, exact=True).check()
    team.fill(
        "Why searching the assets these activities use is reasonable and proportionate",
        "Only the trial's systems hold the recordings",
    )
    team.submit("Record the withdrawal and ask for removal")
    request_path = team.page.url.split("#")[0]
    main = team.page.inner_text("main")
    assert trial in main
    assert first in main
    assert second in main

    for owner_user, asset in ((first_owner, first), (second_owner, second)):
        owner = open_page()
        _owner_records(owner, owner_user, asset, reference)
        owner.fill("What did the search find?", "Her visit recordings")
        owner.page.get_by_label("Deleted", exact=True).check()
        owner.fill_date("removed_on", london_today())
        owner.submit("Record the search")

    team.goto(request_path)
    assert team.page.inner_text("main").count("Deleted on") == 2
    team.click_link("Record the response")
    team.page.get_by_label("Complete", exact=True).check()
    team.fill_date("sent_on", london_today())
    team.submit("Close the request")
    assert "Complete" in team.page.inner_text("main")
