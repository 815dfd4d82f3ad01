"""Turning forms into service inputs and assets into ready-to-show rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ig.assets.forms import AssetFilterForm, AssetForm
from ig.assets.models import InformationAsset
from ig.assets.policy import AssetsPolicy
from ig.assets.register import AssetFilter
from ig.assets.rules import (
    CRITICALITY_LABELS,
    FORMAT_LABELS,
    HOSTING_LABELS,
    STATE_LABELS,
    AssetFormat,
    ConfirmationState,
    Criticality,
    Hosting,
    confirmation_state,
)
from ig.assets.service import AssetInput

STATE_TAGS = {
    ConfirmationState.CONFIRMED: "govuk-tag--green",
    ConfirmationState.DUE_SOON: "govuk-tag--yellow",
    ConfirmationState.OVERDUE: "govuk-tag--red",
}


@dataclass(frozen=True)
class AssetRow:
    asset: InformationAsset
    criticality: str
    state_label: str
    state_tag: str
    is_overdue: bool


def filters_from(form: AssetFilterForm, owner_user_id: int | None) -> AssetFilter:
    """The filter the form asks for (the owner as its picker resolved it); a form with
    bad values filters nothing."""
    if not form.validate():
        return AssetFilter()
    return AssetFilter(
        owner_user_id=owner_user_id,
        criticality=Criticality(form.criticality.data) if form.criticality.data else None,
        is_overdue=form.overdue.data == "y",
        search=form.q.data or "",
        sort=form.sort.data or "name",
        on=form.on.data,
        confirmed_from=form.confirmed_from.data,
        confirmed_to=form.confirmed_to.data,
    )


def asset_rows(
    assets: Iterable[InformationAsset], policy: AssetsPolicy, today: dt.date
) -> list[AssetRow]:
    rows = []
    for asset in assets:
        state = confirmation_state(asset.next_confirmation_on, today, policy.due_soon_days)
        rows.append(
            AssetRow(
                asset,
                CRITICALITY_LABELS[asset.criticality],
                STATE_LABELS[state],
                STATE_TAGS[state],
                state is ConfirmationState.OVERDUE,
            )
        )
    return rows


def set_choices(form: AssetForm, policy: AssetsPolicy) -> None:
    """The form's choices of data categories, from the policy."""
    form.personal_data.choices = dict(policy.personal_data)
    form.special_categories.choices = dict(policy.special_categories)


def form_data(asset: InformationAsset) -> dict[str, object]:
    """An asset's values as the edit form shows them (given as data, not as the object:
    the form would read ``suppliers`` off the object as organisations, not text)."""
    return {
        "version": asset.version,
        "name": asset.name,
        "system": asset.system,
        "description": asset.description,
        "owner_user_id": asset.owner_user_id,
        "administrator_user_id": asset.administrator_user_id,
        "record_count": asset.record_count,
        "asset_format": asset.asset_format.value,
        "hosting": asset.hosting.value,
        "location": asset.location,
        "retention_period": asset.retention_period,
        "retention_rule": asset.retention_rule,
        "security_controls": asset.security_controls,
        "criticality": asset.criticality.value,
        "personal_data": [c.category for c in asset.categories if not c.is_special],
        "special_categories": [c.category for c in asset.categories if c.is_special],
        "suppliers": "\n".join(s.code or s.name for s in asset.suppliers),
    }


def asset_input(form: AssetForm) -> AssetInput:
    return AssetInput(
        name=form.name.data,
        system=form.system.data,
        description=form.description.data,
        owner_user_id=form.owner_user_id.data or 0,  # 0: none (refused)
        administrator_user_id=form.administrator_user_id.data or 0,
        record_count=form.record_count.data,
        asset_format=AssetFormat(form.asset_format.data),
        hosting=Hosting(form.hosting.data),
        location=form.location.data or "",
        retention_period=form.retention_period.data,
        retention_rule=form.retention_rule.data,
        security_controls=form.security_controls.data or "",
        criticality=Criticality(form.criticality.data),
        personal_data=tuple(form.personal_data.data or ()),
        special_categories=tuple(form.special_categories.data or ()),
        suppliers=tuple(
            line.strip() for line in (form.suppliers.data or "").splitlines() if line.strip()
        ),
    )


def summary_rows(asset: InformationAsset, policy: AssetsPolicy) -> list[tuple[str, str]]:
    """The asset's facts as (label, text) rows for its page."""

    def labels(special: bool) -> str:
        chosen = [
            policy.category_label(c.category) for c in asset.categories if c.is_special is special
        ]
        return "; ".join(chosen) or "None recorded"

    confirmed = asset.last_confirmed_on
    return [
        ("System or store", asset.system),
        ("Description", asset.description),
        ("Information Asset Owner", asset.owner.name),
        ("Administrator", asset.administrator.name),
        ("Personal data", labels(False)),
        ("Special category data", labels(True)),
        ("Approximate number of records", f"{asset.record_count:,}"),
        ("Format", FORMAT_LABELS[asset.asset_format]),
        ("Hosting", HOSTING_LABELS[asset.hosting]),
        ("Where it is kept", asset.location or "Not recorded"),
        ("Retention", f"{asset.retention_period} ({asset.retention_rule})"),
        ("Security controls", asset.security_controls or "Not recorded"),
        ("Business criticality", CRITICALITY_LABELS[asset.criticality]),
        ("Suppliers", "; ".join(s.name for s in asset.suppliers) or "None"),
        ("Last confirmed by its owner", confirmed.strftime("%-d %B %Y") if confirmed else "Never"),
        ("Next confirmation due", asset.next_confirmation_on.strftime("%-d %B %Y")),
    ]
