"""Information assets: record one, change it, and have its owner confirm it each cycle."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload, undefer_group

from ig import bounds
from ig.assets import rules
from ig.assets.models import AssetCategory, InformationAsset
from ig.assets.policy import AssetsPolicy
from ig.assets.rules import AssetFormat, Criticality, Hosting
from ig.audit.service import record
from ig.auth.models import User
from ig.auth.rules import Actor
from ig.db import london_today
from ig.errors import EditConflict, NotFound, PermissionDenied, ValidationFailed
from ig.people.models import Organisation
from ig.sharing.service import resolve_organisation

# (field, what to enter, longest) for each required text field.
REQUIRED_TEXT = (
    ("name", "the asset's name", bounds.NAME),
    ("system", "the system or store it lives in", bounds.NAME),
    ("description", "what the asset holds and what it is for", bounds.SHORT_TEXT),
    ("retention_period", "how long its records are kept", bounds.NAME),
    ("retention_rule", "the retention rule it follows", bounds.NAME),
)
MAX_SUPPLIERS = 50
OPTIONAL_TEXT = (("location", bounds.SHORT_TEXT), ("security_controls", bounds.SHORT_TEXT))


@dataclass(frozen=True)
class AssetInput:
    """What is recorded about an asset, when it is added and when it is changed."""

    name: str
    system: str
    description: str
    owner_user_id: int
    administrator_user_id: int
    record_count: int
    asset_format: AssetFormat
    hosting: Hosting
    location: str
    retention_period: str
    retention_rule: str
    security_controls: str
    criticality: Criticality
    personal_data: tuple[str, ...] = ()
    special_categories: tuple[str, ...] = ()
    suppliers: tuple[str, ...] = field(default=())  # codes or full names


def create_asset(
    session: Session, actor: Actor, policy: AssetsPolicy, data: AssetInput, now: dt.datetime
) -> InformationAsset:
    """Record an asset; its owner's first confirmation is due the day it is added.

    Raises PermissionDenied without assets.manage, ValidationFailed on a bad field.
    """
    if not actor.can("assets.manage"):
        raise PermissionDenied("Only the IG team can add information assets")
    suppliers = _check_input(session, policy, data)
    asset = InformationAsset(next_confirmation_on=london_today(now))
    _apply(asset, data, policy, suppliers)
    session.add(asset)
    session.flush()
    record(
        session,
        actor,
        "asset.created",
        "information_asset",
        asset.id,
        {"owner_user_id": asset.owner_user_id, "policy_version": policy.version},
        at=now,
    )
    return asset


def update_asset(
    session: Session,
    actor: Actor,
    policy: AssetsPolicy,
    asset_id: int,
    data: AssetInput,
    expected_version: int,
    now: dt.datetime,
) -> InformationAsset:
    """Change an asset's details (not its confirmation); nothing is written on a fault.

    Raises NotFound, PermissionDenied, EditConflict, ValidationFailed.
    """
    if not actor.can("assets.manage"):
        raise PermissionDenied("Only the IG team can change information assets")
    asset = get_asset(session, asset_id)
    if asset.version != expected_version:
        raise EditConflict()
    suppliers = _check_input(session, policy, data)
    before = _snapshot(asset)
    _apply(asset, data, policy, suppliers)
    changed = sorted(key for key, value in _snapshot(asset).items() if before[key] != value)
    session.flush()
    record(
        session, actor, "asset.updated", "information_asset", asset.id, {"changed": changed}, at=now
    )
    return asset


def _snapshot(asset: InformationAsset) -> dict[str, object]:
    names = [f for f, _what, _n in REQUIRED_TEXT] + [f for f, _n in OPTIONAL_TEXT]
    names += ["owner_user_id", "administrator_user_id", "record_count", "asset_format"]
    names += ["hosting", "criticality"]
    values: dict[str, object] = {name: getattr(asset, name) for name in names}
    values["categories"] = sorted(c.category for c in asset.categories)
    values["suppliers"] = sorted(s.id for s in asset.suppliers)
    return values


def _apply(
    asset: InformationAsset,
    data: AssetInput,
    policy: AssetsPolicy,
    suppliers: list[Organisation],
) -> None:
    for name, _what, _longest in REQUIRED_TEXT:
        setattr(asset, name, getattr(data, name).strip())
    for name, _longest in OPTIONAL_TEXT:
        setattr(asset, name, getattr(data, name).strip())
    asset.owner_user_id = data.owner_user_id
    asset.administrator_user_id = data.administrator_user_id
    asset.record_count = data.record_count
    asset.asset_format, asset.hosting = data.asset_format, data.hosting
    asset.criticality = data.criticality
    wanted = dict.fromkeys(data.personal_data, False)
    wanted |= dict.fromkeys(data.special_categories, True)
    asset.categories = [c for c in asset.categories if c.category in wanted] + [
        AssetCategory(category=key, is_special=special)
        for key, special in sorted(wanted.items())
        if key not in {c.category for c in asset.categories}
    ]
    asset.suppliers = suppliers


def _check_input(session: Session, policy: AssetsPolicy, data: AssetInput) -> list[Organisation]:
    """Check every field; the suppliers named, or ValidationFailed on the first fault."""
    for name, what, longest in REQUIRED_TEXT:
        value = getattr(data, name)
        if not value.strip():
            raise ValidationFailed(name, f"Enter {what}")
        _check_text(name, value, longest)
    for name, longest in OPTIONAL_TEXT:
        _check_text(name, getattr(data, name), longest)
    for name in ("owner_user_id", "administrator_user_id"):
        user = session.get(User, getattr(data, name))
        if user is None or not user.is_active:
            who = "owner" if name == "owner_user_id" else "administrator"
            raise ValidationFailed(name, f"Select the asset's {who}")
    if not 0 <= data.record_count <= rules.MAX_RECORDS:
        raise ValidationFailed(
            "record_count", f"Enter a whole number of records from 0 to {rules.MAX_RECORDS:,}"
        )
    if not set(data.personal_data) <= set(policy.personal_data):
        raise ValidationFailed("personal_data", "Select categories from the list")
    if not set(data.special_categories) <= set(policy.special_categories):
        raise ValidationFailed("special_categories", "Select special categories from the list")
    if len(data.suppliers) > MAX_SUPPLIERS:
        raise ValidationFailed("suppliers", f"Name at most {MAX_SUPPLIERS} suppliers")
    found = {}
    for text in data.suppliers:
        if text.strip():
            _check_text("suppliers", text, bounds.NAME)
            organisation = resolve_organisation(session, text, "suppliers")
            found[organisation.id] = organisation
    return list(found.values())


def _check_text(name: str, value: str, longest: int) -> None:
    problem = bounds.text_problem(value, longest)
    if problem is not None:
        raise ValidationFailed(name, problem)


def can_confirm(actor: Actor, asset: InformationAsset) -> bool:
    """Only the asset's own Information Asset Owner confirms it (their accountability)."""
    return actor.user_id is not None and actor.user_id == asset.owner_user_id


def can_view(actor: Actor, asset: InformationAsset) -> bool:
    """Those who read the register, and the asset's owner and administrator."""
    return actor.can("assets.read") or (
        actor.user_id is not None
        and actor.user_id in (asset.owner_user_id, asset.administrator_user_id)
    )


def confirm_asset(
    session: Session,
    actor: Actor,
    policy: AssetsPolicy,
    asset_id: int,
    expected_version: int,
    now: dt.datetime,
) -> InformationAsset:
    """The owner confirms the entry is accurate; the next falls one cycle on.

    Raises NotFound, PermissionDenied (not the owner), EditConflict.
    """
    asset = get_asset(session, asset_id)
    if not can_confirm(actor, asset):
        raise PermissionDenied("Only the asset's Information Asset Owner can confirm it")
    if asset.version != expected_version:
        raise EditConflict()
    today = london_today(now)
    asset.last_confirmed_on = today
    asset.next_confirmation_on = rules.next_confirmation_on(today, policy.confirm_every_months)
    session.flush()
    record(
        session,
        actor,
        "asset.confirmed",
        "information_asset",
        asset.id,
        {
            "next_confirmation_on": asset.next_confirmation_on.isoformat(),
            "policy_version": policy.version,
        },
        at=now,
    )
    return asset


def find_asset(session: Session, asset_id: int) -> InformationAsset | None:
    """The asset with its categories and suppliers, or None."""
    return session.scalar(
        select(InformationAsset)
        .where(InformationAsset.id == asset_id)
        .options(
            undefer_group("detail"),
            selectinload(InformationAsset.categories),
            selectinload(InformationAsset.suppliers),
        )
    )


def get_asset(session: Session, asset_id: int) -> InformationAsset:
    """The asset with its categories and suppliers; NotFound if there is none."""
    asset = find_asset(session, asset_id)
    if asset is None:
        raise NotFound("There is no such information asset")
    return asset


def confirmation_due_query() -> Select:
    """Every asset with its next confirmation date and owner (the reminder rule's source)."""
    return select(
        InformationAsset.id,
        InformationAsset.name,
        InformationAsset.next_confirmation_on,
        InformationAsset.owner_user_id,
    )
