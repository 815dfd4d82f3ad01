"""Browser journey: the IG officer screens and drafts a DPIA with a high residual risk and
links the asset and processing activity it covers (each page then names the other); the
SIRO tries to sign it off and is told why not, records the ICO consultation and signs off."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest

from ig.auth.models import User
from ig.db import utcnow
from tests.e2e.browser import BrowserPage
from tests.e2e.conftest import OpenPage
from tests.e2e.server import LiveServer
from tests.factories import make_asset
from tests.processing.data import make_activity

pytestmark = pytest.mark.e2e


def draft(officer: BrowserPage, title: str, today: dt.date) -> str:
    """Start, screen and assess a DPIA; returns its path."""
    officer.goto("/dpias/")
    officer.click_link("Start a DPIA")
    officer.fill("Title", title)
    officer.fill("Description of the processing", "Visits recorded and summarised by AI")
    officer.submit("Save DPIA")
    assert officer.heading == title
    path = officer.page.url.removeprefix(officer.base_url)
    officer.click_link("Screen the processing")
    officer.page.get_by_label("Innovative technology", exact=False).check()
    officer.page.get_by_label("Tracking an individual", exact=False).check()
    officer.submit("Record screening")
    assert "DPIA required" in officer.page.inner_text("main")
    officer.click_link("Add a risk")
    officer.fill("The risk to people", "Recordings overheard by others in the home")
    officer.submit("Save risk", status=422)  # the grid's scores are needed too
    for label, value in (
        ("Likelihood", "3"),
        ("Severity", "3"),
        ("Residual likelihood (after the measures)", "2"),
        ("Residual severity (after the measures)", "3"),
    ):
        officer.page.get_by_label(label, exact=True).select_option(value)
    officer.fill("Measures to reduce or remove the risk", "Consent script; headsets")
    officer.submit("Save risk")
    assert "record the ICO prior-consultation decision" in officer.page.inner_text("main")
    officer.click_link("Record the DPO's advice")
    officer.fill("The DPO's advice", "Consult the ICO before the trial starts")
    officer.fill_date("given_on", today)
    officer.page.get_by_label("Yes", exact=True).check()
    officer.submit("Record advice")
    officer.click_link("Send for sign-off")
    officer.submit("Send for sign-off")
    assert "Awaiting sign-off" in officer.page.inner_text("main")
    return path


def link_records(officer: BrowserPage, live_server: LiveServer, tag: str, title: str) -> None:
    """Link an asset and an activity through the pickers; each page then names the DPIA."""
    owner = live_server.create_user("manager")
    asset, activity = f"Visit recordings {tag}", f"AI visit summaries {tag}"
    with live_server.database.session_scope() as session:
        make_asset(session, owner=session.get(User, owner.id), name=asset)
        make_activity(session, session.get(User, owner.id), name=activity)
    officer.pick("Information asset", asset, asset)
    officer.submit("Link asset")
    officer.pick("Processing activity", activity, activity)
    officer.submit("Link activity")
    main = officer.page.inner_text("main")
    assert asset in main
    assert activity in main
    dpia = officer.page.url
    for name in (asset, activity):
        officer.click_link(name)
        assert officer.heading == name
        officer.page.get_by_role("link", name=title, exact=True).wait_for()
        officer.follow(partial(officer.page.goto, dpia), check=False)  # checked above


def test_high_residual_risk_is_signed_off_after_the_ico_consultation(
    live_server: LiveServer, open_page: OpenPage
) -> None:
    today = utcnow().date()
    title = f"AI transcription trial {int(utcnow().timestamp())}"
    officer = open_page()
    officer.sign_in_quickly(live_server.create_user("ig_officer", two_factor=True))
    path = draft(officer, title, today)
    link_records(officer, live_server, str(int(utcnow().timestamp())), title)

    siro = open_page()
    siro.sign_in_quickly(live_server.create_user("siro", two_factor=True), path)
    siro.click_link("Sign off")
    siro.submit("Sign off this DPIA", status=422)
    assert "cannot be signed off until the ICO prior-consultation decision" in (
        siro.page.inner_text("main")
    )
    siro.goto(path)
    assert "Awaiting sign-off" in siro.page.inner_text("main")
    siro.click_link("Record the ICO prior consultation")
    siro.page.get_by_label("The ICO was consulted", exact=True).check()
    siro.fill_date("consulted_on", today)
    siro.fill("The ICO's reference", "ICO/PC/2026/0099")
    siro.submit("Record decision")
    siro.click_link("Sign off")
    siro.submit("Sign off this DPIA")
    main = siro.page.inner_text("main")
    assert "Signed off" in main
    assert "ICO/PC/2026/0099" in main
