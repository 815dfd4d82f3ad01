"""Turning forms into service inputs, and contracts into ready-to-show rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ig.audit.forms import DayMonthYearField
from ig.contracts import rules
from ig.contracts.forms import ContractForm
from ig.contracts.models import ProcessorContract
from ig.contracts.policy import ContractsPolicy
from ig.contracts.service import ContractInput
from ig.errors import ValidationFailed

END_TAGS = {
    rules.EndState.RUNNING: "govuk-tag--green",
    rules.EndState.ENDING_SOON: "govuk-tag--yellow",
    rules.EndState.ENDED: "govuk-tag--grey",
}


@dataclass(frozen=True)
class ContractRow:
    contract: ProcessorContract
    value_band: str
    end_label: str
    end_tag: str
    missing: list[str]  # the labels of the missing terms, in the policy's order
    warning: str  # the message naming them, or ""


def contract_rows(
    contracts: Iterable[ProcessorContract], policy: ContractsPolicy, today: dt.date
) -> list[ContractRow]:
    rows = []
    for contract in contracts:
        state = rules.end_state(contract.end_on, today, policy.ending_soon_days)
        keys = rules.missing_terms(policy.terms, [t.term for t in contract.terms])
        labels = [policy.term_label(key) for key in keys]
        rows.append(
            ContractRow(
                contract,
                policy.value_bands.get(contract.value_band, contract.value_band),
                rules.END_LABELS[state],
                END_TAGS[state],
                labels,
                rules.missing_message(labels),
            )
        )
    return rows


def set_choices(form: ContractForm, policy: ContractsPolicy) -> None:
    """The form's value bands and terms, from the policy."""
    form.value_band.choices = dict(policy.value_bands)
    form.terms.choices = {key: policy.term_label(key) for key in policy.terms}


def form_data(contract: ProcessorContract, asset_ids: list[int]) -> dict[str, object]:
    """A contract's values as the edit form shows them."""
    return {
        "version": contract.version,
        "title": contract.title,
        "reference": contract.reference,
        "processor_id": contract.processor_id,
        "owner_user_id": contract.owner_user_id,
        "start_on": contract.start_on,
        "end_on": contract.end_on,
        "value_band": contract.value_band,
        "terms": [t.term for t in contract.terms],
        "assets": "\n".join(str(i) for i in asset_ids),
        "subprocessors": "\n".join(s.code or s.name for s in contract.subprocessors),
        "notes": contract.notes,
    }


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def _day(field: DayMonthYearField) -> dt.date:
    if field.data is None:  # the form requires it: a guard, not a path
        raise ValidationFailed(field.name, f"Enter the {field.label.text.lower()}")
    return field.data


def contract_input(form: ContractForm) -> ContractInput:
    return ContractInput(
        title=form.title.data,
        reference=form.reference.data,
        processor_id=form.processor_id.data or 0,  # 0: none (refused)
        owner_user_id=form.owner_user_id.data or 0,
        start_on=_day(form.start_on),
        end_on=_day(form.end_on),
        value_band=form.value_band.data,
        terms=tuple(form.terms.data or ()),
        assets=_split(form.assets.data),
        subprocessors=_split(form.subprocessors.data),
        notes=form.notes.data or "",
    )


def summary_rows(
    contract: ProcessorContract, policy: ContractsPolicy, assets: dict[int, str]
) -> list[tuple[str, str]]:
    """The contract's facts as (label, text) rows for its page."""
    served = "; ".join(f"{name} (asset {i})" for i, name in sorted(assets.items()))
    return [
        ("Reference", contract.reference),
        ("Processor", contract.processor.name),
        ("Owner", contract.owner.name),
        ("Start date", contract.start_on.strftime("%-d %B %Y")),
        ("End date", contract.end_on.strftime("%-d %B %Y")),
        ("Value", policy.value_bands.get(contract.value_band, contract.value_band)),
        ("Information assets it serves", served or "None recorded"),
        ("Sub-processors", "; ".join(s.name for s in contract.subprocessors) or "None"),
        ("Notes", contract.notes or "None"),
    ]


def term_rows(contract: ProcessorContract, policy: ContractsPolicy) -> list[tuple[str, bool]]:
    """Each Art. 28(3) term of the policy, and whether the contract contains it."""
    agreed = {t.term for t in contract.terms}
    return [(policy.term_label(key), key in agreed) for key in policy.terms]
