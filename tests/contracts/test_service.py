"""The contract services: add and change, with their audit entries and refusals."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from ig.audit.models import AuditEntry
from ig.auth.rules import Actor
from ig.contracts import service
from ig.contracts.models import ProcessorContract
from ig.contracts.service import ContractInput
from ig.errors import EditConflict, NotFound, PermissionDenied, ValidationFailed
from tests.contracts.factory import ALL_TERMS, MANAGE, NOW, POLICY, make_contract
from tests.factories import make_asset, make_organisation, make_user


def audit(db, contract_id):
    return db.scalars(
        select(AuditEntry)
        .where(AuditEntry.record_type == "processor_contract")
        .where(AuditEntry.record_id == str(contract_id))
        .order_by(AuditEntry.seq)
    ).all()


def input_of(db, contract, **changes):
    values = {
        "title": contract.title,
        "reference": contract.reference,
        "processor_id": contract.processor_id,
        "owner_user_id": contract.owner_user_id,
        "start_on": contract.start_on,
        "end_on": contract.end_on,
        "value_band": contract.value_band,
        "terms": tuple(t.term for t in contract.terms),
        "assets": tuple(str(i) for i in service.asset_ids(db, contract.id)),
        "subprocessors": tuple(s.name for s in contract.subprocessors),
        "notes": contract.notes,
    }
    return ContractInput(**{**values, **changes})


def test_adding_records_the_terms_assets_and_sub_processors_and_audits(db):
    asset = make_asset(db, name="Adult social care case records")
    make_organisation(db, name="Backup Ltd", code="BKP1")
    contract = make_contract(
        db,
        terms=("a", "b", "c"),
        assets=(asset.name,),
        subprocessors=("BKP1",),
        notes="Ask Jo Bloggs in Procurement",
    )
    assert contract.missing_terms == 5
    assert service.asset_ids(db, contract.id) == [asset.id]
    assert [s.code for s in contract.subprocessors] == ["BKP1"]
    (entry,) = audit(db, contract.id)
    assert entry.action == "contract.created"
    assert entry.detail["missing_terms"] == ["d", "e", "f", "g", "h"]
    assert "Jo Bloggs" not in str(entry.detail)


def test_changing_audits_what_changed_and_a_ticked_term_clears_the_flag(db):
    contract = make_contract(db, terms=ALL_TERMS[:-1])
    assert contract.missing_terms == 1
    changed = service.update_contract(
        db, MANAGE, POLICY, contract.id, input_of(db, contract, terms=ALL_TERMS), 1, NOW
    )
    assert changed.missing_terms == 0
    assert changed.version == 2
    entry = audit(db, contract.id)[-1]
    assert entry.action == "contract.updated"
    assert entry.detail == {
        "changed": ["terms"],
        "missing_terms": [],
        "start_on": contract.start_on.isoformat(),
        "end_on": contract.end_on.isoformat(),
    }


def test_a_stale_change_is_refused_and_changes_nothing(db):
    contract = make_contract(db)
    data = input_of(db, contract, title="Renamed")
    with pytest.raises(EditConflict):
        service.update_contract(db, MANAGE, POLICY, contract.id, data, 7, NOW)
    assert contract.title == "Case management system"
    with pytest.raises(NotFound):
        service.update_contract(db, MANAGE, POLICY, 999_999, data, 1, NOW)


def test_only_those_who_manage_contracts_may_add_or_change_them(db):
    user = make_user(db, roles=("siro",))
    reader = Actor(user.id, user.email, frozenset(), frozenset({"contracts.read"}))
    contract = make_contract(db)
    with pytest.raises(PermissionDenied):
        service.create_contract(db, reader, POLICY, input_of(db, contract), NOW)
    with pytest.raises(PermissionDenied):
        service.update_contract(db, reader, POLICY, contract.id, input_of(db, contract), 1, NOW)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "  "}, "title", "Enter the contract's title"),
        ({"reference": "R" * 41}, "reference", "40"),
        ({"processor_id": 0}, "processor_id", "Enter the processor"),
        ({"owner_user_id": 0}, "owner_user_id", "Enter the contract's owner"),
        ({"end_on": dt.date(2025, 1, 1)}, "end_on", "on or after the start date"),
        ({"value_band": "priceless"}, "value_band", "value band"),
        ({"terms": ("a", "z")}, "terms", "Select terms from the list"),
        ({"assets": ("No such asset",)}, "assets", "No information asset"),
        ({"subprocessors": ("Nobody Ltd",)}, "subprocessors", "No organisation"),
        ({"subprocessors": ("x",) * 51}, "subprocessors", "at most 50"),
        ({"notes": "x" * 2001}, "notes", "2,000"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(db, changes, field, message):
    processor = make_organisation(db, name="Processor Ltd")
    owner = make_user(db)
    data = ContractInput(
        title="Hosting",
        reference="PC-9",
        processor_id=processor.id,
        owner_user_id=owner.id,
        start_on=dt.date(2026, 1, 1),
        end_on=dt.date(2027, 1, 1),
        value_band="under_25k",
    )
    before = db.scalar(select(func.count()).select_from(ProcessorContract))
    with pytest.raises(ValidationFailed) as refused:
        service.create_contract(db, MANAGE, POLICY, dataclasses.replace(data, **changes), NOW)
    assert refused.value.field == field
    assert message in refused.value.message
    assert db.scalar(select(func.count()).select_from(ProcessorContract)) == before


def test_the_processor_cannot_be_its_own_sub_processor(db):
    processor = make_organisation(db, name="Selfie Ltd", code="SLF1")
    with pytest.raises(ValidationFailed, match="its own sub-processor"):
        make_contract(db, processor_id=processor.id, subprocessors=("SLF1",))
