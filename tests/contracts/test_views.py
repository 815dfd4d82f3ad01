"""The contract pages: who may see them, adding and editing, the warning, filters, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import select

from ig.contracts.models import ProcessorContract
from ig.db import london_today
from tests.contracts.factory import ALL_TERMS, make_contract
from tests.factories import make_asset, make_organisation
from tests.queries import statements_for_get

AUDIT_TERM = "(h) Makes available the information needed to show compliance, and allows audits"


def day(value: dt.date) -> list[str]:
    return [str(value.day), str(value.month), str(value.year)]


def new_contract(db, owner, **changes):
    processor = make_organisation(db, name="Casework Systems Ltd", code="CSL1")
    today = london_today()
    return {
        "title": "Adult social care case management",
        "reference": "EBC-PC-0141",
        "processor_id": str(processor.id),
        "owner_user_id": str(owner.id),
        "start_on": day(today - dt.timedelta(days=30)),
        "end_on": day(today + dt.timedelta(days=700)),
        "value_band": "from_500k_to_1m",
        "terms": list(ALL_TERMS),
        "assets": "",
        "subprocessors": "",
        "notes": "",
        **changes,
    }


def reload(db, contract):
    db.expire_all()
    return db.get(ProcessorContract, contract.id)


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 403), ("manager", 403), ("ig_officer", 200), ("siro", 200), ("auditor", 200)],
)
def test_register_permissions(client, login_as, role, status):
    assert client.get("/contracts/").status_code == 302  # not signed in
    login_as(role)
    assert client.get("/contracts/").status_code == status
    assert client.get("/contracts/export.csv").status_code == status
    assert client.get("/contracts/processors/search?q=a").status_code == status


@pytest.mark.parametrize("role", ["siro", "auditor", "manager"])
def test_only_the_ig_officer_adds_or_changes_contracts(client, login_as, db, role):
    contract = make_contract(db)
    user = login_as(role)
    assert client.get("/contracts/new").status_code == 403
    assert client.post("/contracts/new", data=new_contract(db, user)).status_code == 403
    assert client.get(f"/contracts/{contract.id}/edit").status_code == 403
    assert client.get("/contracts/people/search?q=a").status_code == 403
    assert client.get("/contracts/organisations/search?q=a").status_code == 403
    record = client.get(f"/contracts/{contract.id}")
    assert record.status_code == (403 if role == "manager" else 200)


def test_the_owner_sees_their_own_contract_and_their_list(client, login_as, db):
    owner = login_as("manager")
    mine = make_contract(db, owner_user_id=owner.id, title="Mine", terms=ALL_TERMS[:-1])
    make_contract(db, title="Not mine")
    assert client.get(f"/contracts/{mine.id}").status_code == 200
    listed = client.get("/contracts/mine").get_data(as_text=True)
    assert "Mine" in listed
    assert "Not mine" not in listed
    home = client.get("/").get_data(as_text=True)
    assert "Add the missing Art. 28 terms to your processor contracts" in home


def test_adding_a_contract_missing_a_term_warns_naming_it_until_it_is_ticked(client, login_as, db):
    user = login_as("ig_officer")
    asset = make_asset(db, name="Adult social care case records")
    data = new_contract(db, user, terms=list(ALL_TERMS[:-1]), assets=f"{asset.id}\n")
    response = client.post("/contracts/new", data=data)
    assert response.status_code == 302, response.data
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This contract is missing a term UK GDPR Art. 28(3) requires" in page
    assert AUDIT_TERM in page
    assert "Missing terms" in page
    assert "Adult social care case records" in page
    contract = db.scalar(select(ProcessorContract))
    edit = client.get(f"/contracts/{contract.id}/edit").get_data(as_text=True)
    assert 'value="h"' in edit
    fixed = {**data, "terms": list(ALL_TERMS), "version": str(contract.version)}
    assert client.post(f"/contracts/{contract.id}/edit", data=fixed).status_code == 302
    page = client.get(f"/contracts/{contract.id}").get_data(as_text=True)
    assert "is missing" not in page
    assert "Missing terms" not in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Enter the contract&#39;s title"),
        ({"reference": "R" * 41}, "40 characters"),
        ({"end_on": ["1", "1", "2000"]}, "on or after the start date"),
        ({"start_on": ["31", "2", "2026"]}, "must be a real date"),
        ({"value_band": "priceless"}, "Not a valid choice"),
        ({"terms": ["z"]}, "valid choice"),
        ({"processor_id": ""}, "Enter the processor"),
        ({"assets": "No such asset"}, "No information asset is called No such asset"),
        ({"subprocessors": "Nobody at all"}, "No organisation has the code or name"),
    ],
)
def test_a_bad_contract_is_refused_with_a_clear_error(client, login_as, db, changes, message):
    user = login_as("ig_officer")
    response = client.post("/contracts/new", data=new_contract(db, user, **changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.scalar(select(ProcessorContract)) is None


def test_add_without_csrf_is_refused(client, login_as, db):
    user = login_as("ig_officer")
    response = client.post("/contracts/new", csrf=False, data=new_contract(db, user))
    assert response.status_code == 400
    assert db.scalar(select(ProcessorContract)) is None


def test_a_stale_edit_is_refused(client, login_as, db):
    user = login_as("ig_officer")
    contract = make_contract(db)
    data = new_contract(db, user, version=str(contract.version), title="Renamed")
    assert client.post(f"/contracts/{contract.id}/edit", data=data).status_code == 302
    stale = client.post(f"/contracts/{contract.id}/edit", data={**data, "title": "Again"})
    assert stale.status_code == 409
    assert reload(db, contract).title == "Renamed"


def test_register_filters_and_puts_the_most_urgent_first(client, login_as, db):
    login_as("auditor")
    today = london_today()
    processor = make_organisation(db, name="Skyloft Hosting Ltd")
    make_contract(db, title="Alpha fine", today=today)
    make_contract(db, title="Bravo lacking", terms=("a",), today=today)
    make_contract(
        db, title="Charlie ending", processor_id=processor.id, end_on=today + dt.timedelta(days=9)
    )
    make_contract(
        db,
        title="Delta ended",
        start_on=today - dt.timedelta(days=400),
        end_on=today - dt.timedelta(days=1),
    )
    page = client.get("/contracts/").get_data(as_text=True)
    titles = ("Bravo lacking", "Charlie ending", "Alpha fine", "Delta ended")
    order = [page.index(title) for title in titles]
    assert order == sorted(order)
    for flag, title in (
        ("missing_terms", "Bravo lacking"),
        ("ending_soon", "Charlie ending"),
        ("ended", "Delta ended"),
    ):
        shown = client.get(f"/contracts/?flag={flag}").get_data(as_text=True)
        assert title in shown
        assert "Alpha fine" not in shown
    by_processor = client.get(f"/contracts/?processor={processor.id}").get_data(as_text=True)
    assert "Charlie ending" in by_processor
    assert "Bravo lacking" not in by_processor
    found = client.get("/contracts/?q=BRAVO").get_data(as_text=True)
    assert "Bravo lacking" in found
    assert "Alpha fine" not in found
    assert "Alpha fine" in client.get("/contracts/?flag=nonsense").get_data(as_text=True)


def test_register_makes_no_query_per_row(client, login_as, db, engine):
    login_as("ig_officer")
    for number in range(2):
        make_contract(db, title=f"Contract {number}")
    client.get("/contracts/")
    few = statements_for_get(engine, client, "/contracts/", selects_only=True)
    for number in range(2, 8):
        make_contract(db, title=f"Contract {number}", terms=("a",))
    many = statements_for_get(engine, client, "/contracts/", selects_only=True)
    assert many <= few


def test_csv_export(client, login_as, db):
    login_as("siro")
    make_organisation(db, name="=Formula Ltd", code="FRM1")
    make_contract(db, title="Hosting", terms=ALL_TERMS[:-1], subprocessors=("FRM1",))
    make_contract(db, title="Other")
    response = client.get("/contracts/export.csv?q=hosting")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["title"] == "Hosting"
    assert row["missing Art. 28(3) terms"] == AUDIT_TERM
    assert row["sub-processors"] == "'=Formula Ltd"
    assert "notes" not in rows[0]
