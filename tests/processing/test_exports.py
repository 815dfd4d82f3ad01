"""The exports in the ICO template's columns: CSV and XLSX open with their header rows,
decrypted for those allowed to export, audited; and the printable record."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from ig.audit.models import AuditEntry
from ig.processing.export import CONTROLLER_COLUMNS, PROCESSOR_COLUMNS, safe_cell
from ig.processing.rules import Role, Safeguard
from tests.factories import make_asset, make_organisation, make_user
from tests.processing.data import make_activity


def _activities(db):
    owner = make_user(db)
    make_asset(db, name="Mosaic case records")
    trust = make_organisation(db, kind="nhs_trust", code="RAP", name="North Trust")
    make_activity(
        db,
        owner,
        purpose="=HYPERLINK(secret)",
        assets=("Mosaic case records",),
        safeguard=Safeguard.IDTA,
        transfer_detail="United States, under an IDTA",
    )
    make_activity(db, owner, name="Discharge", role=Role.PROCESSOR, controllers=(trust.code,))


def test_the_csv_has_the_controller_template_columns_and_decrypted_rows(client, login_as, db):
    login_as("siro")
    _activities(db)
    response = client.get("/processing/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == CONTROLLER_COLUMNS
    assert len(rows) == 2  # the processor's activity is on its own record
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Business function"] == "Adult social care case management"
    assert row["Purpose of processing"] == "'=HYPERLINK(secret)"  # decrypted, never a formula
    assert row["Location of personal data"] == "Mosaic case records"
    assert row[
        "Safeguards for exceptional transfers of personal data to third countries or "
        "international organisations (if applicable)"
    ].startswith("International data")
    assert row["Article 9 basis for processing special category data"].startswith("Art. 9(2)(h)")


def test_the_xlsx_opens_with_the_template_columns(client, login_as, db):
    login_as("auditor")
    _activities(db)
    response = client.get("/processing/export.xlsx?role=processor")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == PROCESSOR_COLUMNS
    assert rows[1][0] == "North Trust"
    assert rows[1][1].startswith("Discharge: ")
    controller = client.get("/processing/export.xlsx").data
    header = next(load_workbook(io.BytesIO(controller)).active.iter_rows(values_only=True))
    assert list(header) == CONTROLLER_COLUMNS


def test_each_export_is_audited(client, login_as, db):
    login_as("ig_officer")
    for url in ("/processing/export.csv", "/processing/export.xlsx", "/processing/print"):
        assert client.get(url).status_code == 200
    db.expire_all()
    details = db.scalars(
        select(AuditEntry.detail).where(AuditEntry.action == "processing.exported")
    ).all()
    assert sorted(d["how"] for d in details) == ["csv", "print", "xlsx"]


def test_the_printable_record_is_a_print_view(client, login_as, db):
    login_as("ig_officer")
    _activities(db)
    page = client.get("/processing/print").get_data(as_text=True)
    assert "Printed by" in page
    assert "Purpose of processing" in page
    assert "Adult social care case management" in page
    assert "Discharge" not in page


def test_formula_cells_are_quoted():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("-2") == "'-2"
    assert safe_cell("Plain") == "Plain"
    assert safe_cell(None) == ""
