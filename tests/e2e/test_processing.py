"""Browser journey: an IG officer records a processing activity linked to an information
asset, and downloads the record in the ICO template's columns as XLSX. axe-core checks
every page."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from ig.auth.models import User
from ig.processing.export import CONTROLLER_COLUMNS
from tests.e2e.browser import BrowserPage
from tests.e2e.server import LiveServer
from tests.factories import make_asset

pytestmark = pytest.mark.e2e


def test_an_officer_records_an_activity_and_downloads_the_xlsx(
    browser_page: BrowserPage, live_server: LiveServer
) -> None:
    officer = live_server.create_user("ig_officer")
    tag = uuid.uuid4().hex[:6]
    asset, name = f"Adult social care records {tag}", f"Adult social care {tag}"
    with live_server.database.session_scope() as session:
        owner = session.scalars(select(User).where(User.email == officer.email)).one()
        make_asset(session, owner=owner, name=asset)

    page = browser_page
    page.sign_in_quickly(officer, "/processing/new")
    page.fill("Name of the activity", name)
    page.page.get_by_label("Controller (UK GDPR Art. 30(1))").check()
    page.fill("Purpose of the processing", "Assessing needs and arranging care")
    page.page.get_by_label("Art. 6(1)(e) public task").check()
    page.page.get_by_label("Adults receiving care and support").check()
    page.page.get_by_label("Care and support records").check()
    page.page.get_by_label("Health (special category)").check()
    page.page.get_by_label("Art. 9 condition (for special category data)").select_option(
        "health_social_care"
    )
    page.page.get_by_label("DPA 2018 Schedule 1 condition").select_option("health_social_care")
    for question in ("has_policy_document", "relies_on_consent", "is_automated"):
        page.page.locator(f'input[name="{question}"][value="no"]').check()
    page.page.get_by_label("No transfer outside the UK").check()
    page.fill("Retention", "8 years after the case closes")
    page.fill("Information assets used (one asset number or full name a line)", asset)
    page.pick("Owner", officer.name, f"{officer.name} ({officer.email})")
    page.submit("Save activity")
    assert page.heading == name
    assert asset in page.page.inner_text("main")

    page.goto(f"/processing/?q={tag}")
    with page.page.expect_download() as download:
        page.page.get_by_role("link", name="Download in the ICO template's columns (XLSX)").click()
    # The download's own path has no .xlsx suffix, which openpyxl reads by: open its bytes.
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == CONTROLLER_COLUMNS
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert cells["Business function"] == name
    assert cells["Location of personal data"].startswith(f"{asset}: ")
