"""Processing activities: record one and change it, each with its audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, undefer_group

from ig import bounds
from ig.assets.lookup import asset_names, resolve_asset
from ig.audit.service import record
from ig.auth.models import User
from ig.auth.rules import Actor
from ig.errors import EditConflict, NotFound, PermissionDenied, ValidationFailed
from ig.people.models import Organisation
from ig.processing.models import ActivityCategory, ProcessingActivity, activity_assets
from ig.processing.policy import ProcessingPolicy
from ig.processing.rules import LawfulBasis, Legal, Role, Safeguard, legal_problem
from ig.sharing.service import resolve_organisation

# (field, what to enter, longest) for each required text field.
REQUIRED_TEXT = (
    ("name", "the activity's name", bounds.NAME),
    ("purpose", "the purpose of the processing", bounds.SHORT_TEXT),
    ("retention", "how long the data is kept", bounds.NAME),
)
OPTIONAL_TEXT = (
    ("recipients", bounds.SHORT_TEXT),
    ("transfer_detail", bounds.SHORT_TEXT),
    ("security_measures", bounds.SHORT_TEXT),
)
MAX_LINKS = 50


@dataclass(frozen=True)
class ActivityInput:
    """What is recorded about a processing activity, when added and when changed."""

    name: str
    role: Role
    purpose: str
    lawful_basis: LawfulBasis
    art9_condition: str
    schedule_1_condition: str
    has_policy_document: bool
    recipients: str
    safeguard: Safeguard
    transfer_detail: str
    retention: str
    security_measures: str
    relies_on_consent: bool
    is_automated: bool
    owner_user_id: int
    people_categories: tuple[str, ...] = ()
    data_categories: tuple[str, ...] = ()
    controllers: tuple[str, ...] = ()  # organisation codes or full names
    assets: tuple[str, ...] = ()  # asset numbers or full names


def create_activity(
    session: Session, actor: Actor, policy: ProcessingPolicy, data: ActivityInput, now: dt.datetime
) -> ProcessingActivity:
    """Record an activity. Raises PermissionDenied without processing.manage,
    ValidationFailed on the first bad field (nothing is written)."""
    if not actor.can("processing.manage"):
        raise PermissionDenied("Only the IG team can record processing activities")
    controllers, assets = _check_input(session, policy, data)
    activity = ProcessingActivity()
    _apply(activity, data, policy, controllers)
    session.add(activity)
    session.flush()
    _link_assets(session, activity.id, assets)
    record(
        session,
        actor,
        "processing.created",
        "processing_activity",
        activity.id,
        {"role": activity.role.value, "policy_version": policy.version},
        at=now,
    )
    return activity


def update_activity(
    session: Session,
    actor: Actor,
    policy: ProcessingPolicy,
    activity_id: int,
    data: ActivityInput,
    expected_version: int,
    now: dt.datetime,
) -> ProcessingActivity:
    """Change an activity; nothing is written on a fault.

    Raises NotFound, PermissionDenied, EditConflict (a stale version), ValidationFailed.
    """
    if not actor.can("processing.manage"):
        raise PermissionDenied("Only the IG team can change processing activities")
    activity = get_activity(session, activity_id)
    if activity.version != expected_version:
        raise EditConflict()
    controllers, assets = _check_input(session, policy, data)
    before = _snapshot(session, activity)
    _apply(activity, data, policy, controllers)
    session.execute(activity_assets.delete().where(activity_assets.c.activity_id == activity.id))
    _link_assets(session, activity.id, assets)
    changed = sorted(k for k, v in _snapshot(session, activity).items() if before[k] != v)
    session.flush()
    record(
        session,
        actor,
        "processing.updated",
        "processing_activity",
        activity.id,
        {"changed": changed, "policy_version": policy.version},
        at=now,
    )
    return activity


FIELDS = [f for f, _w, _n in REQUIRED_TEXT] + [f for f, _n in OPTIONAL_TEXT]
FIELDS += ["role", "lawful_basis", "art9_condition", "schedule_1_condition"]
FIELDS += ["has_policy_document", "safeguard", "relies_on_consent", "is_automated"]
FIELDS += ["owner_user_id"]


def _snapshot(session: Session, activity: ProcessingActivity) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(activity, name) for name in FIELDS}
    values["categories"] = sorted((c.kind, c.key) for c in activity.categories)
    values["controllers"] = sorted(o.id for o in activity.controllers)
    values["assets"] = sorted(asset_ids(session, activity.id))
    return values


def _apply(
    activity: ProcessingActivity,
    data: ActivityInput,
    policy: ProcessingPolicy,
    controllers: list[Organisation],
) -> None:
    for name in FIELDS:
        value = getattr(data, name)
        plain_text = isinstance(value, str) and not isinstance(value, Enum)
        setattr(activity, name, value.strip() if plain_text else value)
    activity.has_special_category = bool(set(data.data_categories) & set(policy.special_categories))
    activity.policy_version = policy.version
    wanted = {("people", k) for k in data.people_categories}
    wanted |= {("data", k) for k in data.data_categories}
    kept = [c for c in activity.categories if (c.kind, c.key) in wanted]
    have = {(c.kind, c.key) for c in kept}
    activity.categories = kept + [
        ActivityCategory(kind=kind, key=key) for kind, key in sorted(wanted - have)
    ]
    activity.controllers = controllers


def _link_assets(session: Session, activity_id: int, assets: list[int]) -> None:
    if assets:
        session.execute(
            activity_assets.insert(),
            [{"activity_id": activity_id, "asset_id": asset_id} for asset_id in assets],
        )


def _check_input(
    session: Session, policy: ProcessingPolicy, data: ActivityInput
) -> tuple[list[Organisation], list[int]]:
    """Check every field; the controllers and asset ids named, or ValidationFailed."""
    for name, what, longest in REQUIRED_TEXT:
        if not getattr(data, name).strip():
            raise ValidationFailed(name, f"Enter {what}")
        _check_text(name, getattr(data, name), longest)
    for name, longest in OPTIONAL_TEXT:
        _check_text(name, getattr(data, name), longest)
    owner = session.get(User, data.owner_user_id) if data.owner_user_id > 0 else None
    if owner is None or not owner.is_active:
        raise ValidationFailed("owner_user_id", "Enter the activity's owner")
    if not data.people_categories:
        raise ValidationFailed("people_categories", "Select the categories of people")
    if not set(data.people_categories) <= set(policy.people_categories):
        raise ValidationFailed("people_categories", "Select categories of people from the list")
    if not data.data_categories:
        raise ValidationFailed("data_categories", "Select the categories of personal data")
    if not set(data.data_categories) <= set(policy.data_categories) | set(
        policy.special_categories
    ):
        raise ValidationFailed("data_categories", "Select categories of data from the list")
    controllers = _resolve(session, data.controllers, "controllers", resolve_organisation)
    problem = legal_problem(
        policy,
        Legal(
            role=data.role,
            lawful_basis=data.lawful_basis,
            has_special_category=bool(set(data.data_categories) & set(policy.special_categories)),
            art9_condition=data.art9_condition,
            schedule_1_condition=data.schedule_1_condition,
            has_policy_document=data.has_policy_document,
            relies_on_consent=data.relies_on_consent,
            controller_count=len(controllers),
            safeguard=data.safeguard,
            transfer_detail=data.transfer_detail,
        ),
    )
    if problem is not None:
        raise ValidationFailed(*problem)
    assets = _resolve(session, data.assets, "assets", resolve_asset)
    return controllers, [a.id for a in assets]


def _resolve(
    session: Session, texts: tuple[str, ...], field: str, find: Callable[[Session, str, str], Any]
) -> list[Any]:
    if len(texts) > MAX_LINKS:
        raise ValidationFailed(field, f"Name at most {MAX_LINKS}, one a line")
    found = {}
    for text in texts:
        if text.strip():
            _check_text(field, text, bounds.NAME)
            item = find(session, text, field)
            found[item.id] = item
    return list(found.values())


def _check_text(name: str, value: str, longest: int) -> None:
    problem = bounds.text_problem(value, longest)
    if problem is not None:
        raise ValidationFailed(name, problem)


def asset_ids(session: Session, activity_id: int) -> list[int]:
    """The ids of the information assets an activity uses."""
    query = select(activity_assets.c.asset_id).where(activity_assets.c.activity_id == activity_id)
    return list(session.scalars(query))


def linked_assets(session: Session, activity_ids: list[int]) -> dict[int, list[str]]:
    """The names of the assets each activity uses, in two queries for any number of them."""
    if not activity_ids:
        return {}
    links = session.execute(
        select(activity_assets.c.activity_id, activity_assets.c.asset_id).where(
            activity_assets.c.activity_id.in_(activity_ids)
        )
    ).all()
    names = asset_names(session, [asset_id for _a, asset_id in links])
    result: dict[int, list[str]] = {activity_id: [] for activity_id in activity_ids}
    for activity_id, asset_id in links:
        result[activity_id].append(names[asset_id])
    return {key: sorted(value) for key, value in result.items()}


def find_activity(session: Session, activity_id: int) -> ProcessingActivity | None:
    """The activity with its decrypted text, categories and controllers, or None."""
    return session.scalar(
        select(ProcessingActivity)
        .where(ProcessingActivity.id == activity_id)
        .options(
            undefer_group("detail"),
            selectinload(ProcessingActivity.categories),
            selectinload(ProcessingActivity.controllers),
        )
    )


def get_activity(session: Session, activity_id: int) -> ProcessingActivity:
    """As find_activity; NotFound if there is none."""
    activity = find_activity(session, activity_id)
    if activity is None:
        raise NotFound("There is no such processing activity")
    return activity
