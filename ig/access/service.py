"""Access to information systems: ask for it, the line manager approves or declines, the
asset's owner or administrator records it granted and later removed.

Every refusal raises before anything is written, and every step writes its audit entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, undefer_group

from ig import bounds
from ig.access import rules
from ig.access.models import AccessRequest
from ig.access.policy import AccessPolicy
from ig.access.rules import AccessStatus
from ig.assets.service import find_asset
from ig.audit.service import record
from ig.auth.rules import Actor
from ig.db import london_today
from ig.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ig.people.models import Staff, Team
from ig.people.service import find_staff_for_user, managed_team_ids

OPEN = (AccessStatus.REQUESTED, AccessStatus.APPROVED, AccessStatus.GRANTED)


@dataclass(frozen=True)
class AccessInput:
    """A request: the asset, the level, why; ``staff_id`` None means the asker's own."""

    asset_id: int | None
    level: str
    reason: str
    staff_id: int | None = None


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    item: AccessRequest,
    now: dt.datetime,
    **detail: object,
) -> None:
    record(session, actor, f"access.{action}", "access_request", item.id, detail, at=now)


def is_line_manager(session: Session, user_id: int | None, staff: Staff) -> bool:
    """Whether ``user_id`` manages the staff member's team or a team above it."""
    managed = managed_team_ids(session, user_id).where(Team.id == staff.team_id)
    return bool(session.scalar(select(exists(managed))))


def _staff_for(session: Session, actor: Actor, staff_id: int | None, today: dt.date) -> Staff:
    if staff_id is None:
        staff = find_staff_for_user(session, actor.user_id)
        if staff is None:
            raise ValidationFailed(
                "staff", "Your account is not linked to a staff record: ask the IG team"
            )
    else:
        found = session.get(Staff, staff_id)
        if found is None:
            raise ValidationFailed("staff", "Choose a member of staff")
        staff = found
        if staff.user_id != actor.user_id and not is_line_manager(session, actor.user_id, staff):
            raise PermissionDenied("You can ask for access only for yourself or your own staff")
    if staff.left_on is not None and staff.left_on <= today:
        raise ValidationFailed("staff", f"{staff.name} has left: access cannot be asked for")
    return staff


def request_access(
    session: Session, actor: Actor, policy: AccessPolicy, data: AccessInput, now: dt.datetime
) -> AccessRequest:
    """Record a request for access, awaiting the line manager's approval.

    Raises ValidationFailed (asset, level, reason, staff), PermissionDenied (someone
    else's staff).
    """
    if actor.user_id is None:
        raise PermissionDenied("Sign in to ask for access")
    asset = find_asset(session, data.asset_id) if data.asset_id else None
    if asset is None:
        raise ValidationFailed("asset", "Choose the information asset whose system you need")
    if data.level not in policy.levels:
        raise ValidationFailed("level", "Choose a level of access from the list")
    _check_reason("reason", data.reason, "why the access is needed")
    staff = _staff_for(session, actor, data.staff_id, london_today(now))
    already = select(AccessRequest.id).where(
        AccessRequest.staff_id == staff.id,
        AccessRequest.asset_id == asset.id,
        AccessRequest.status.in_(OPEN),
    )
    if session.scalar(already) is not None:
        raise ValidationFailed(
            "asset", f"{staff.name} already has access to {asset.name}, or a request open for it"
        )
    item = AccessRequest(
        asset_id=asset.id,
        staff_id=staff.id,
        level=data.level,
        reason=data.reason.strip(),
        status=AccessStatus.REQUESTED,
        requested_by_user_id=actor.user_id,
        requested_at=now,
    )
    session.add(item)
    session.flush()
    _audit(
        session,
        actor,
        "requested",
        item,
        now,
        asset_id=asset.id,
        staff_id=staff.id,
        level=data.level,
        policy_version=policy.version,
    )
    return item


def decide_request(
    session: Session, actor: Actor, request_id: int, approve: bool, reason: str, now: dt.datetime
) -> AccessRequest:
    """The line manager approves or declines, with a reason.

    Raises NotFound, PermissionDenied (own access; not their staff), InvalidTransition,
    ValidationFailed (no reason).
    """
    item = get_request(session, request_id)
    refused = decision_refused(session, actor, item)
    if refused:
        raise PermissionDenied(refused)
    wanted = AccessStatus.APPROVED if approve else AccessStatus.DECLINED
    _move(item, wanted)
    _check_reason("reason", reason, "the reason for your decision")
    item.status, item.decision_reason = wanted, reason.strip()
    item.decided_by_user_id, item.decided_at = actor.user_id, now
    session.flush()
    _audit(session, actor, wanted.value, item, now)
    return item


def record_granted(
    session: Session,
    actor: Actor,
    policy: AccessPolicy,
    request_id: int,
    granted_on: dt.date,
    now: dt.datetime,
) -> AccessRequest:
    """The asset's owner or administrator records approved access as granted; its line
    manager recertifies it one cycle later.

    Raises NotFound, PermissionDenied, InvalidTransition, ValidationFailed (the date).
    """
    item = _kept(session, actor, request_id)
    _move(item, AccessStatus.GRANTED)
    decided = london_today(item.decided_at or now)
    _check_date("granted_on", granted_on, now, decided, "granted", "its approval")
    item.status, item.granted_on, item.granted_by_user_id = (
        AccessStatus.GRANTED,
        granted_on,
        actor.user_id,
    )
    item.recertify_by = rules.recertify_by(granted_on, policy.recertify_every_months)
    session.flush()
    _audit(session, actor, "granted", item, now, granted_on=granted_on.isoformat())
    return item


def record_removed(
    session: Session,
    actor: Actor,
    request_id: int,
    removed_on: dt.date,
    reason: str,
    now: dt.datetime,
) -> AccessRequest:
    """The asset's owner or administrator records granted access as removed.

    Raises NotFound, PermissionDenied, InvalidTransition, ValidationFailed.
    """
    item = _kept(session, actor, request_id)
    _move(item, AccessStatus.REMOVED)
    assert item.granted_on is not None  # granted access always has its date
    _check_date("removed_on", removed_on, now, item.granted_on, "removed", "it was granted")
    _check_reason("removal_reason", reason, "why the access was removed")
    item.status, item.removed_on, item.removal_reason = (
        AccessStatus.REMOVED,
        removed_on,
        reason.strip(),
    )
    item.removed_by_user_id = actor.user_id
    session.flush()
    _audit(session, actor, "removed", item, now, removed_on=removed_on.isoformat())
    return item


def decision_refused(session: Session, actor: Actor, item: AccessRequest) -> str | None:
    """Why ``actor`` may not approve or decline ``item``, or None when they may."""
    staff = item.staff
    managed = [staff.team_id] if is_line_manager(session, actor.user_id, staff) else []
    return rules.approval_problem(actor.user_id, staff.user_id, staff.team_id, managed)


def keeper_refused(session: Session, actor: Actor, item: AccessRequest) -> str | None:
    """Why ``actor`` may not record ``item`` granted or removed, or None when they may."""
    asset = find_asset(session, item.asset_id)
    assert asset is not None  # the foreign key keeps it
    return rules.keeper_problem(actor.user_id, asset.owner_user_id, asset.administrator_user_id)


def _kept(session: Session, actor: Actor, request_id: int) -> AccessRequest:
    item = get_request(session, request_id)
    refused = keeper_refused(session, actor, item)
    if refused:
        raise PermissionDenied(refused)
    return item


def _move(item: AccessRequest, wanted: AccessStatus) -> None:
    problem = rules.transition_problem(item.status, wanted)
    if problem:
        raise InvalidTransition(problem)


def _check_reason(field: str, value: str, what: str) -> None:
    if not value.strip():
        raise ValidationFailed(field, f"Enter {what}")
    problem = bounds.text_problem(value, bounds.SHORT_TEXT)
    if problem:
        raise ValidationFailed(field, problem)


def _check_date(
    field: str, on: dt.date, now: dt.datetime, not_before: dt.date, what: str, before: str
) -> None:
    problem = rules.date_problem(on, london_today(now), not_before, what, before)
    if problem:
        raise ValidationFailed(field, problem)


def get_request(session: Session, request_id: int) -> AccessRequest:
    """The request with its decrypted reasons; NotFound if there is none."""
    item = session.scalar(
        select(AccessRequest).where(AccessRequest.id == request_id).options(undefer_group("detail"))
    )
    if item is None:
        raise NotFound("There is no such access request")
    return item
