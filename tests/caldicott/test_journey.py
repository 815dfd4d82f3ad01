"""Browser journey with accessibility checks: request, assessment, sign-off, amendment."""

from __future__ import annotations

import datetime as dt
import uuid

import pyotp
import pytest

from ig.auth.models import User
from ig.db import utcnow
from ig.people.models import Organisation, OrganisationKind
from tests.e2e.browser import BrowserPage
from tests.e2e.conftest import browser, browser_page, live_server, open_page  # noqa: F401
from tests.e2e.server import E2EUser, LiveServer

pytestmark = pytest.mark.e2e


def _organisation(server: LiveServer) -> str:
    with server.database.session_scope() as session:
        # A name of its own, as the browser tests share a database.
        name = f"Eastmere Constabulary {uuid.uuid4().hex[:8]}"
        session.add(Organisation(name=name, kind=OrganisationKind.POLICE))
        return name


def _with_totp(server: LiveServer, role: str) -> E2EUser:
    """A user who has set up two-factor authentication (so signs with a code)."""
    user = server.create_user(role)
    user.totp_secret = pyotp.random_base32()
    with server.database.session_scope() as session:
        row = session.get(User, user.id)
        row.totp_secret = user.totp_secret
        row.totp_enabled_at = utcnow()
    return user


def _raise(page: BrowserPage, organisation: str) -> str:
    page.goto("/caldicott/requests/new")
    needed = utcnow().date() + dt.timedelta(days=10)
    page.fill("Name of the person asking", "DC Jane Rivers")
    page.fill("Their role", "Detective constable")
    page.pick("Their organisation", organisation[:-3], organisation)
    page.page.get_by_label("Disclosure to the police", exact=True).check()
    page.fill("Purpose", "Investigation of an assault")
    page.fill("Information involved", "Contact history")
    page.page.get_by_label("Social care records and assessments", exact=True).check()
    page.fill("How many people's information", "1")
    page.page.get_by_label("Routine", exact=True).check()
    for part, value in (("day", needed.day), ("month", needed.month), ("year", needed.year)):
        page.page.fill(f"#needed_by-{part}", str(value))
    page.fill("Details of the case", "Secret detail of the case")
    page.submit("Raise request")
    return page.heading.split()[0]


def _assess(page: BrowserPage, reference: str, recommendation: str) -> None:
    page.goto(f"/caldicott/requests/{reference}/assess")
    for textarea in page.page.locator("textarea[id^=principle_]").all():
        textarea.fill("Met for this disclosure")
    page.page.get_by_label("Approved with conditions", exact=True).check()
    page.fill("Why", recommendation)
    page.submit("Save assessment")
    assert "Assessment saved" in page.page.inner_text("main")


def _sign(page: BrowserPage, guardian: E2EUser, reference: str, reasons: str) -> None:
    page.click_link("Decide and sign")
    page.page.get_by_label("Approved with conditions", exact=True).check()
    page.fill("Conditions (for an approval with conditions)", "Contact history only")
    page.fill("Reasons", reasons)
    page.fill("Code from your authenticator app", guardian.next_code())
    page.submit("Sign decision")
    assert f"Decision on {reference} signed" in page.page.inner_text("main")


def test_request_assessment_sign_off_and_amendment(open_page, live_server):  # noqa: F811
    staff = live_server.create_user("staff")
    officer = _with_totp(live_server, "ig_officer")
    guardian = _with_totp(live_server, "caldicott_guardian")
    organisation = _organisation(live_server)

    requester = open_page()
    requester.sign_in(staff)
    reference = _raise(requester, organisation)
    assert reference.startswith("CG-")

    assessor = open_page()
    assessor.sign_in(officer)
    _assess(assessor, reference, "Disclose the contact history only")

    decider = open_page()
    decider.sign_in(guardian)
    decider.goto(f"/caldicott/requests/{reference}")
    _sign(decider, guardian, reference, "Necessary and proportionate")
    assert "Verified" in decider.page.inner_text("main")

    assessor.goto(f"/caldicott/requests/{reference}")
    assessor.click_link("Amend the decision")
    assessor.fill("Why is the decision being amended?", "The police asked for more")
    assessor.submit("Start amendment")
    _assess(assessor, reference, "Add the second log")

    # The deputy signs the amendment (the Guardian's next code is a step away).
    deputy = open_page()
    deputy_user = _with_totp(live_server, "deputy_caldicott_guardian")
    deputy.sign_in(deputy_user)
    deputy.goto(f"/caldicott/requests/{reference}")
    _sign(deputy, deputy_user, reference, "Still necessary")
    text = deputy.page.inner_text("main")
    assert "Version 2: Signed, in force" in text
    assert "Version 1: Signed, superseded" in text
    assert "Deputy Caldicott Guardian, acting for the Guardian" in text
    deputy.click_link("Printable record")
    assert reference in deputy.heading


def test_log_pages_and_errors_pass_the_accessibility_check(open_page, live_server):  # noqa: F811
    organisation = _organisation(live_server)
    staff = open_page()
    staff.sign_in(live_server.create_user("staff"))
    staff.goto("/caldicott/requests/new")
    staff.submit("Raise request", status=422)
    assert "There is a problem" in staff.page.inner_text("main")
    reference = _raise(staff, organisation)
    staff.goto("/caldicott/")
    assert reference in staff.page.inner_text("main")

    guardian = open_page()
    guardian.sign_in(_with_totp(live_server, "caldicott_guardian"))
    for path in ("/caldicott/", "/caldicott/queue", "/caldicott/figures", "/caldicott/search"):
        guardian.goto(path)
    guardian.goto("/caldicott/?status=awaiting_assessment&order=asc")
    guardian.goto("/caldicott/?received_from=40&received_from=1&received_from=2026", status=422)
    guardian.goto("/caldicott/search")
    guardian.fill("Identifier", "nobody")
    guardian.submit("Find decisions")
    guardian.goto(f"/caldicott/requests/{reference}/link")
    guardian.submit("Link record", status=422)
