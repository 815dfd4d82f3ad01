"""Refusing a request, in whole or in part, on grounds chosen from policy: recorded once,
with each ground's reason and public interest reasoning, and audited."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.db import london_today
from ig.errors import EditConflict, InvalidTransition, PermissionDenied
from ig.rights.models import RequestStatus, RightsRequest
from ig.rights.policy import Ground, RightsPolicy
from ig.rights.records import get_request
from ig.rights.refusal_models import RefusalScope, RightsRefusal, RightsRefusalGround
from ig.rights.refusal_rules import RefusalInput, check_refusal
from ig.rights.service import audit


def find_refusal(session: Session, request_id: int) -> RightsRefusal | None:
    """The request's refusal, if one is recorded."""
    return session.get(RightsRefusal, request_id)


def _refusable(
    session: Session, actor: Actor, request_id: int, version: int | None
) -> RightsRequest:
    if not actor.can("rights.manage") or actor.user_id is None:
        raise PermissionDenied("Only the information rights team can refuse a request")
    item = get_request(session, request_id)
    if version is not None and version != item.version:
        raise EditConflict()
    if item.status is RequestStatus.CLOSED:
        raise InvalidTransition("This request is closed: record a refusal before the response")
    if find_refusal(session, item.id) is not None:
        raise InvalidTransition("A refusal is already recorded for this request")
    return item


def _new_refusal(
    request_id: int,
    user_id: int | None,  # checked by _refusable
    version: str,
    grounds: list[Ground],
    data: RefusalInput,
    now: dt.datetime,
) -> RightsRefusal:
    """A refusal of the request and its grounds, each with its reasons, from checked input."""
    return RightsRefusal(
        request_id=request_id,
        scope=RefusalScope(data.scope),
        is_ncnd=data.is_ncnd,
        fee_pence=data.fee_pence,
        policy_version=version,
        recorded_on=london_today(now),
        recorded_at=now,
        recorded_by_user_id=user_id,
        grounds=[
            RightsRefusalGround(
                request_id=request_id,
                ground_key=ground.key,
                reason=given.reason.strip(),
                public_interest=given.public_interest.strip(),
            )
            for ground, given in zip(grounds, data.grounds, strict=True)
        ],
    )


def record_refusal(
    session: Session,
    actor: Actor,
    policy: RightsPolicy,
    request_id: int,
    data: RefusalInput,
    now: dt.datetime,
    version: int | None = None,
) -> RightsRefusal:
    """Record that the request is refused in full or in part (or, for a data protection
    right, that a reasonable fee is charged instead), on the grounds given.

    Raises PermissionDenied (no rights.manage), NotFound, EditConflict,
    InvalidTransition (closed, already refused, or a kind of request policy gives no
    grounds for), ValidationFailed (scope, ground_N, reason_N, public_interest_N,
    is_ncnd, fee) as refusal_rules.check_refusal says.
    """
    item = _refusable(session, actor, request_id, version)
    allowed = policy.grounds_for(item.type_key)
    if not allowed:
        raise InvalidTransition(
            f"A {policy.label(item.type_key)} cannot be refused on the policy's grounds"
        )
    grounds = check_refusal(data, allowed)
    refusal = _new_refusal(item.id, actor.user_id, policy.version, grounds, data, now)
    session.add(refusal)
    session.flush()
    audit(
        session,
        actor,
        "refused",
        item,
        now,
        scope=refusal.scope.value,
        grounds=[g.key for g in grounds],
        neither_confirm_nor_deny=refusal.is_ncnd,
        fee_pence=refusal.fee_pence,
        policy_version=policy.version,
    )
    return refusal
