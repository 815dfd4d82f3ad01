"""Browser journey: the IG officer drafts an agreement with three London boroughs, records
each party's signature, uploads the signed copy and downloads it, and a member of staff
asks "may we share?"; axe checks every page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ig.auth.rules import SYSTEM
from ig.db import utcnow
from ig.people.models import OrganisationKind
from ig.sharing import organisations, service
from tests.e2e.browser import BrowserPage
from tests.e2e.conftest import OpenPage
from tests.e2e.server import LiveServer
from tests.sharing import pdf_samples

pytestmark = pytest.mark.e2e
BOROUGHS = {"E09000007": "Camden", "E09000019": "Islington", "E09000012": "Hackney"}


def prepare(live_server: LiveServer) -> str:
    """The London reference list and this council; returns this council's name.

    The server is shared by every browser test, so another test (the demo) may already
    have registered this organisation under its own name.
    """
    with live_server.database.session_scope() as session:
        service.load_reference_organisations(session)
        own = service.find_self_organisation(session)
        if own is None:
            own = organisations.create_organisation(
                session,
                SYSTEM,
                organisations.OrganisationInput(
                    "Eastmere Council", OrganisationKind.OTHER, is_self=True
                ),
            )
        return own.name


def draft(officer: BrowserPage, reference: str, today: dt.date, own: str) -> None:
    officer.goto("/sharing/")
    officer.click_link("Draft a new agreement")
    officer.fill("Reference", reference)
    officer.fill("Title", "Discharge to assess across north London")
    officer.fill("Lead organisation", own)
    officer.fill("Purpose of the sharing", "Getting people home from hospital with care")
    officer.page.get_by_label("Hospital discharge and continuing care").check()
    officer.page.get_by_label("Direct care and support of the individual").check()
    officer.page.get_by_label("Identity and contact details").check()
    officer.page.get_by_label("Social care records and assessments").check()
    officer.page.get_by_label("Lawful basis (UK GDPR Art. 6)").select_option("art6_1e")
    officer.page.get_by_label("Statutory gateway").select_option("care_act_2014")
    officer.fill("Conditions on sharing", "Only to the allocated hospital social worker")
    officer.fill_date("starts_on", today)
    officer.fill_date("review_on", today + dt.timedelta(days=300))
    officer.fill_date("ends_on", today + dt.timedelta(days=700))
    officer.submit("Save agreement")
    assert officer.heading == "Discharge to assess across north London"
    for code in BOROUGHS:
        officer.fill("Organisation", code)
        officer.page.get_by_label("Role").select_option("joint_controller")
        officer.submit("Add party")


def collect_signatures(officer: BrowserPage, today: dt.date, own: str) -> None:
    for name in [own, *BOROUGHS.values()]:
        officer.click_link(f"Sign for {name}")
        officer.fill("Name of the person who signed", f"Director of {name}")
        officer.fill("Their job title", "Director of Adult Social Services")
        officer.fill_date("signed_on", today)
        officer.page.get_by_label(
            "Evidence of the signature (needed when recording for another party)"
        ).fill(f"Signed copy e-mailed by {name}")
        officer.submit("Record signature")
        assert f"Signature recorded for {name}" in officer.page.inner_text("main")


def test_draft_sign_and_ask_may_we_share(live_server: LiveServer, open_page: OpenPage) -> None:
    own = prepare(live_server)
    today = utcnow().date()
    reference = f"DSA-E2E-{int(utcnow().timestamp())}"
    officer = open_page()
    officer.sign_in(live_server.create_user("ig_officer", two_factor=True))
    draft(officer, reference, today, own)
    assert "Awaiting signatures" not in officer.page.inner_text("main")
    collect_signatures(officer, today, own)
    assert "Active" in officer.page.inner_text("main")
    agreement_path = officer.page.url.removeprefix(live_server.url("/").rstrip("/"))
    for link in ("Change the terms", "Terminate", "Renew: make the next version"):
        officer.click_link(link)
        officer.goto(agreement_path)
    officer.goto(f"/sharing/?search={reference}")
    assert reference in officer.page.inner_text("main")
    officer.click_link("Reviews and expiries in the next 12 months")

    staff = open_page()
    staff.sign_in(live_server.create_user("staff"))
    staff.goto("/sharing/check")  # the navigation is the layout's to test
    staff.fill("Partner organisation", "Islington")
    staff.page.get_by_label("Kind of data").select_option("identity")
    staff.page.get_by_label("Purpose").select_option("direct_care")
    staff.submit("Check")
    main = staff.page.inner_text("main")
    assert "Yes, under an agreement in force" in main
    assert "Only to the allocated hospital social worker" in main

    staff.fill("Partner organisation", "E09000033")  # Westminster: no agreement
    staff.submit("Check")
    # Direct care: not a flat no (Caldicott Principle 7); tests/e2e/test_sharing_direct_care.py
    assert "you may share it for this person's care" in staff.page.inner_text("main")
    link = staff.page.get_by_role("link", name="Record the decision to share")
    href = link.get_attribute("href")
    assert href is not None
    assert "type=other" in href
    staff.page.get_by_label("Purpose").select_option("commissioning")
    staff.submit("Check")
    assert "No agreement covers this. Do not share" in staff.page.inner_text("main")
    href = staff.page.get_by_role("link", name="Ask the Caldicott Guardian").get_attribute("href")
    assert href is not None
    assert "type=new_data_flow" in href


def test_partner_register_pages_and_refusals_are_accessible(
    live_server: LiveServer, open_page: OpenPage
) -> None:
    prepare(live_server)
    officer = open_page()
    officer.sign_in(live_server.create_user("ig_officer", two_factor=True))
    officer.goto("/sharing/organisations/?q=camden")
    officer.click_link("Camden")
    assert officer.heading == "Camden"
    officer.click_link("Name a signatory")
    officer.fill("E-mail address of the user who signs for this organisation", "no@one.example")
    officer.submit("Add signatory", status=422)
    officer.goto("/sharing/organisations/new")
    officer.fill("Name", "Bad Borough")
    officer.page.get_by_label("Kind").select_option("local_authority")
    officer.fill("Code (ONS GSS code for councils, ODS code for NHS bodies)", "E9000001")
    officer.submit("Save", status=422)
    assert "is not a valid code" in officer.page.inner_text("main")
    officer.goto("/sharing/organisations/load")
    officer.goto("/sharing/?state=nonsense", status=422)
    officer.goto(
        "/sharing/check?organisation=Atlantis&category=identity&purpose=direct_care", status=422
    )


def test_a_signed_copy_is_uploaded_and_downloaded_from_the_database(
    live_server: LiveServer, open_page: OpenPage
) -> None:
    own = prepare(live_server)
    officer = open_page()
    officer.sign_in(live_server.create_user("ig_officer", two_factor=True))
    draft(officer, f"DSA-DOC-{int(utcnow().timestamp())}", utcnow().date(), own)
    signed = pdf_samples.plain()
    officer.page.get_by_label("Signed agreement (PDF)").set_input_files(
        {"name": "Signed copy.pdf", "mimeType": "application/pdf", "buffer": signed}
    )
    officer.submit("Upload")
    assert "Document uploaded" in officer.page.inner_text("main")
    with officer.page.expect_download() as download:
        officer.page.get_by_role("link", name="Signed copy.pdf").click()
    assert download.value.suggested_filename == "Signed copy.pdf"
    assert Path(download.value.path()).read_bytes() == signed
