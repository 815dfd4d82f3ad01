"""Processor contracts: record one and change it, each with its audit entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, delete, insert, select
from sqlalchemy.orm import Session, selectinload, undefer_group

from ig import bounds
from ig.assets.lookup import resolve_asset
from ig.audit.service import record
from ig.auth.models import User
from ig.auth.rules import Actor
from ig.contracts import rules
from ig.contracts.models import ContractTerm, ProcessorContract, contract_assets
from ig.contracts.policy import ContractsPolicy
from ig.errors import EditConflict, NotFound, PermissionDenied, ValidationFailed
from ig.people.models import Organisation
from ig.sharing.service import resolve_organisation

MAX_LINKED = 50  # sub-processors, and assets served


@dataclass(frozen=True)
class ContractInput:
    """What is recorded about a contract, when it is added and when it is changed."""

    title: str
    reference: str
    processor_id: int  # an organisation from the partner register
    owner_user_id: int
    start_on: dt.date
    end_on: dt.date
    value_band: str
    terms: tuple[str, ...] = ()  # the Art. 28(3) letters the contract contains
    assets: tuple[str, ...] = ()  # asset numbers or names
    subprocessors: tuple[str, ...] = ()  # organisation codes or full names
    notes: str = ""


@dataclass(frozen=True)
class _Checked:
    processor: Organisation
    subprocessors: list[Organisation]
    asset_ids: list[int]


def create_contract(
    session: Session, actor: Actor, policy: ContractsPolicy, data: ContractInput, now: dt.datetime
) -> ProcessorContract:
    """Record a contract. Raises PermissionDenied without contracts.manage,
    ValidationFailed on a bad field (nothing is written)."""
    if not actor.can("contracts.manage"):
        raise PermissionDenied("Only the IG team can add processor contracts")
    checked = _check_input(session, policy, data)
    contract = ProcessorContract()
    _apply(contract, data, policy, checked)
    session.add(contract)
    session.flush()
    _set_assets(session, contract.id, checked.asset_ids)
    record(
        session,
        actor,
        "contract.created",
        "processor_contract",
        contract.id,
        {**_facts(contract, policy), "policy_version": policy.version},
        at=now,
    )
    return contract


def update_contract(
    session: Session,
    actor: Actor,
    policy: ContractsPolicy,
    contract_id: int,
    data: ContractInput,
    expected_version: int,
    now: dt.datetime,
) -> ProcessorContract:
    """Change a contract; nothing is written on a fault.

    Raises NotFound, PermissionDenied, EditConflict, ValidationFailed.
    """
    if not actor.can("contracts.manage"):
        raise PermissionDenied("Only the IG team can change processor contracts")
    contract = get_contract(session, contract_id)
    if contract.version != expected_version:
        raise EditConflict()
    checked = _check_input(session, policy, data)
    before = _snapshot(session, contract)
    _apply(contract, data, policy, checked)
    session.flush()
    _set_assets(session, contract.id, checked.asset_ids)
    after = _snapshot(session, contract)
    changed = sorted(key for key, value in after.items() if before[key] != value)
    record(
        session,
        actor,
        "contract.updated",
        "processor_contract",
        contract.id,
        {"changed": changed, **_facts(contract, policy)},
        at=now,
    )
    return contract


def _facts(contract: ProcessorContract, policy: ContractsPolicy) -> dict[str, object]:
    """What the IG report reads as recorded then (ig.contracts.register): the missing terms
    and the dates, as ISO text."""
    return {
        "missing_terms": rules.missing_terms(policy.terms, [t.term for t in contract.terms]),
        "start_on": contract.start_on.isoformat(),
        "end_on": contract.end_on.isoformat(),
    }


def _snapshot(session: Session, contract: ProcessorContract) -> dict[str, object]:
    names = ["title", "reference", "processor_id", "owner_user_id", "start_on", "end_on"]
    values: dict[str, object] = {name: getattr(contract, name) for name in names}
    values |= {"value_band": contract.value_band, "notes": contract.notes}
    values["terms"] = sorted(t.term for t in contract.terms)
    values["subprocessors"] = sorted(s.id for s in contract.subprocessors)
    values["assets"] = asset_ids(session, contract.id)
    return values


def _apply(
    contract: ProcessorContract, data: ContractInput, policy: ContractsPolicy, checked: _Checked
) -> None:
    contract.title, contract.reference = data.title.strip(), data.reference.strip()
    contract.processor_id = checked.processor.id
    contract.owner_user_id = data.owner_user_id
    contract.start_on, contract.end_on = data.start_on, data.end_on
    contract.value_band, contract.notes = data.value_band, data.notes.strip()
    wanted = set(data.terms)
    kept = [t for t in contract.terms if t.term in wanted]
    have = {t.term for t in kept}
    contract.terms = kept + [ContractTerm(term=key) for key in sorted(wanted - have)]
    contract.missing_terms = len(rules.missing_terms(policy.terms, wanted))
    contract.subprocessors = checked.subprocessors


def _set_assets(session: Session, contract_id: int, ids: list[int]) -> None:
    session.execute(delete(contract_assets).where(contract_assets.c.contract_id == contract_id))
    if ids:
        session.execute(
            insert(contract_assets), [{"contract_id": contract_id, "asset_id": i} for i in ids]
        )


def _check_input(session: Session, policy: ContractsPolicy, data: ContractInput) -> _Checked:
    """Check every field; the organisations and assets named, or ValidationFailed."""
    for name, what, longest in (
        ("title", "the contract's title", bounds.NAME),
        ("reference", "the contract's reference", bounds.REFERENCE),
    ):
        value = getattr(data, name)
        if not value.strip():
            raise ValidationFailed(name, f"Enter {what}")
        _check_text(name, value, longest)
    _check_text("notes", data.notes, bounds.SHORT_TEXT)
    processor = session.get(Organisation, data.processor_id) if data.processor_id else None
    if processor is None:
        raise ValidationFailed("processor_id", "Enter the processor, from the partner register")
    user = session.get(User, data.owner_user_id) if data.owner_user_id else None
    if user is None or not user.is_active:
        raise ValidationFailed("owner_user_id", "Enter the contract's owner")
    for name in ("start_on", "end_on"):
        problem = bounds.date_problem(getattr(data, name))
        if problem is not None:
            raise ValidationFailed(name, problem)
    if data.end_on < data.start_on:
        raise ValidationFailed("end_on", "The end date must be on or after the start date")
    if data.value_band not in policy.value_bands:
        raise ValidationFailed("value_band", "Select the contract's value band")
    if not set(data.terms) <= set(policy.terms):
        raise ValidationFailed("terms", "Select terms from the list")
    subprocessors = _resolve_many(session, data.subprocessors, "subprocessors", processor.id)
    assets: dict[int, None] = {}
    for text in _lines(data.assets, "assets"):
        assets[resolve_asset(session, text, "assets").id] = None
    return _Checked(processor, subprocessors, list(assets))


def _lines(values: tuple[str, ...], field: str) -> list[str]:
    lines = [v for v in values if v.strip()]
    if len(lines) > MAX_LINKED:
        raise ValidationFailed(field, f"Name at most {MAX_LINKED}, one a line")
    for text in lines:
        _check_text(field, text, bounds.NAME)
    return lines


def _resolve_many(
    session: Session, values: tuple[str, ...], field: str, processor_id: int
) -> list[Organisation]:
    found: dict[int, Organisation] = {}
    for text in _lines(values, field):
        organisation = resolve_organisation(session, text, field)
        if organisation.id == processor_id:
            raise ValidationFailed(field, "The processor cannot be its own sub-processor")
        found[organisation.id] = organisation
    return list(found.values())


def _check_text(name: str, value: str, longest: int) -> None:
    problem = bounds.text_problem(value, longest)
    if problem is not None:
        raise ValidationFailed(name, problem)


def can_view(actor: Actor, contract: ProcessorContract) -> bool:
    """Those who read the register, and the contract's owner."""
    return actor.can("contracts.read") or (
        actor.user_id is not None and actor.user_id == contract.owner_user_id
    )


def find_contract(session: Session, contract_id: int) -> ProcessorContract | None:
    """The contract with its terms, sub-processors and notes, or None."""
    return session.scalar(
        select(ProcessorContract)
        .where(ProcessorContract.id == contract_id)
        .options(
            undefer_group("detail"),
            selectinload(ProcessorContract.terms),
            selectinload(ProcessorContract.subprocessors),
        )
    )


def get_contract(session: Session, contract_id: int) -> ProcessorContract:
    """The contract; NotFound if there is none."""
    contract = find_contract(session, contract_id)
    if contract is None:
        raise NotFound("There is no such processor contract")
    return contract


def asset_ids(session: Session, contract_id: int) -> list[int]:
    """The ids of the information assets the contract serves."""
    query = select(contract_assets.c.asset_id).where(contract_assets.c.contract_id == contract_id)
    return sorted(session.scalars(query))


def flagged_query() -> Select:
    """Every contract with its end date, missing-term count and owner (the reminders' source)."""
    return select(
        ProcessorContract.id,
        ProcessorContract.title,
        ProcessorContract.start_on,
        ProcessorContract.end_on,
        ProcessorContract.missing_terms,
        ProcessorContract.owner_user_id,
    )
