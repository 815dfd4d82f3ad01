"""The exports in the ICO template's columns: CSV and XLSX open with their header rows,
filled from the activity and the records linked to it, decrypted for those allowed to
export, audited, in a fixed number of queries; and the printable record."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import load_workbook
from sqlalchemy import select

from ig.assets import links as asset_links
from ig.audit.models import AuditEntry
from ig.auth.service import actor_for
from ig.dpia import record_links
from ig.incidents import service as incidents
from ig.incidents.models import Kind
from ig.processing.export import CONTROLLER_COLUMNS, PROCESSOR_COLUMNS, safe_cell
from ig.processing.rules import LawfulBasis, Role, Safeguard
from tests.contracts.factory import make_contract
from tests.dpia.conftest import make_dpia
from tests.factories import make_asset, make_organisation, make_team, make_user
from tests.processing.data import NOW, make_activity
from tests.queries import statements_for_get

# The ICO's documentation template (documentation_controller_template.xlsx and
# documentation_processor_template.xlsx): the record of processing sheets' columns.
TRANSFERS = (
    "Names of third countries or international organisations that personal data are "
    "transferred to (if applicable)",
    "Safeguards for exceptional transfers of personal data to third countries or "
    "international organisations (if applicable)",
)
SECURITY = "General description of technical and organisational security measures (if possible)"
ICO_CONTROLLER = [
    "Business function",
    "Purpose of processing",
    "Name and contact details of joint controller (if applicable)",
    "Categories of individuals",
    "Categories of personal data",
    "Categories of recipients",
    "Link to contract with processor",
    *TRANSFERS,
    "Retention schedule (if possible)",
    SECURITY,
    "Article 6 lawful basis for processing personal data",
    "Article 9 basis for processing special category data",
    "Legitimate interests for the processing (if applicable)",
    "Link to record of legitimate interests assessment (if applicable)",
    "Rights available to individuals",
    "Existence of automated decision-making, including profiling (if applicable)",
    "The source of the personal data (if applicable)",
    "Link to record of consent",
    "Location of personal data",
    "Data Protection Impact Assessment required?",
    "DPIA progress",
    "Link to DPIA",
    "Personal data breach?",
    "Link to record of personal data breach",
    "Data Protection Act 2018 Schedule 1 condition for processing",
    "Link to appropriate policy document",
    "Personal data retained and erased in accordance with the policy document?",
    "Reason for not adhering to policy document (if applicable)",
]
ICO_PROCESSOR = [
    "Name and contact details of processor",
    "Name and contact details of controller",
    "Name and contact details of processor's representative (if applicable)",
    "Name and contact details of data protection officer (if applicable)",
    "Categories of processing",
    *TRANSFERS,
    SECURITY,
    "Link to contract with controller",
]


def _activities(db):
    owner = make_user(db)
    make_organisation(
        db,
        name="Eastmere Council",
        is_self=True,
        address="Town Hall\nEastmere",
        dpo_contact="dpo@eastmere.example",
    )
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
    assert rows[0] == CONTROLLER_COLUMNS == ICO_CONTROLLER
    assert len(rows) == 2  # the processor's activity is on its own record
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Business function"] == "Adult social care case management"
    assert row["Purpose of processing"] == "'=HYPERLINK(secret)"  # decrypted, never a formula
    assert (
        row["Location of personal data"] == "Mosaic case records: Supplier's cloud, UK data centre"
    )
    assert row["Personal data breach?"] == "No"
    assert row["DPIA progress"] == "No DPIA linked"
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
    assert rows[0] == PROCESSOR_COLUMNS == ICO_PROCESSOR
    processor = dict(zip(rows[0], rows[1], strict=True))
    assert (
        processor["Name and contact details of processor"]
        == "Eastmere Council, Town Hall, Eastmere"
    )
    assert processor["Name and contact details of controller"] == "North Trust"
    assert processor["Name and contact details of data protection officer (if applicable)"] == (
        "dpo@eastmere.example"
    )
    assert processor["Categories of processing"].startswith("Discharge: ")
    controller = client.get("/processing/export.xlsx").data
    header = next(load_workbook(io.BytesIO(controller)).active.iter_rows(values_only=True))
    assert list(header) == CONTROLLER_COLUMNS


def _linked_activity(db, policies, name="Reablement"):
    """An activity whose asset a contract serves and a breach and a near miss involved,
    assessed by a DPIA; the contract's cell in the export, the DPIA's number and the
    incidents' references."""
    officer = actor_for(make_user(db, roles=("ig_officer",)), policies)
    asset = make_asset(db, name=f"{name} records", location="Leeds")
    activity = make_activity(
        db, make_user(db), name=name, assets=(asset.name,), lawful_basis=LawfulBasis.CONTRACT
    )
    contract = make_contract(db, reference=f"PC-{asset.id}", assets=(str(asset.id),))
    dpia_id = make_dpia(db, policies.dpia, officer, title=f"{name} DPIA")
    record_links.link_record(db, officer, record_links.ACTIVITY, dpia_id, str(activity.id), NOW)
    team = make_team(db)
    references = []
    for kind in (Kind.BREACH, Kind.NEAR_MISS):
        happened = NOW - dt.timedelta(hours=2)
        report = incidents.Report(
            "A letter sent to the wrong address", happened, happened, team.id, False
        )
        incident = incidents.report_incident(db, officer, policies.incidents, report, NOW)
        incidents.triage_incident(db, officer, policies.incidents, incident, kind, NOW, NOW)
        asset_links.link_record(db, officer, asset, "incident", incident.reference, NOW)
        references.append(incident.reference)
    page = f"http://localhost/contracts/{contract.id}"
    return f"{contract.reference} ({contract.processor.name}): {page}", dpia_id, references


def test_the_records_linked_to_an_activity_fill_their_cells(client, login_as, db, policies):
    login_as("ig_officer")
    contract, dpia_id, (breach, near_miss) = _linked_activity(db, policies)
    response = client.get("/processing/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    header, cells = (list(r) for r in sheet.iter_rows(values_only=True))
    assert header == ICO_CONTROLLER
    row = dict(zip(header, cells, strict=True))
    assert row["Link to contract with processor"] == contract
    assert row["Data Protection Impact Assessment required?"] == "Yes (screened)"
    assert row["DPIA progress"] == "Reablement DPIA: Screening done"
    assert row["Link to DPIA"] == f"Reablement DPIA: http://localhost/dpias/{dpia_id}"
    assert row["Personal data breach?"] == "Yes"
    assert row["Link to record of personal data breach"] == (
        f"{breach}: http://localhost/incidents/{breach}"  # not the near miss
    )
    assert near_miss not in str(cells)
    assert row["Location of personal data"] == "Reablement records: Supplier's cloud, Leeds"
    assert "Portability (Art. 20)" in row["Rights available to individuals"]
    assert "Object (Art. 21)" not in row["Rights available to individuals"]
    assert row["Legitimate interests for the processing (if applicable)"] == "Not applicable"


def test_the_export_makes_no_query_per_activity(client, login_as, db, policies, engine):
    login_as("ig_officer")
    _linked_activity(db, policies, "First")
    one = statements_for_get(engine, client, "/processing/export.csv")
    _linked_activity(db, policies, "Second")
    _linked_activity(db, policies, "Third")
    assert statements_for_get(engine, client, "/processing/export.csv") == one


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
    assert "Data Protection Impact Assessment required?" in page
    processor = client.get("/processing/print?role=processor").get_data(as_text=True)
    assert '<h2 class="govuk-heading-m">Discharge</h2>' in processor


def test_formula_cells_are_quoted():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("-2") == "'-2"
    assert safe_cell("Plain") == "Plain"
    assert safe_cell(None) == ""
