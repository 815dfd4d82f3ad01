"""DPIAs: record one, change its details, screen it, assess its risks, and read it.

The sign-off and its steps are in signoff.py; links to agreements in links.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload, undefer_group

from ig.audit.service import record
from ig.auth.models import User
from ig.auth.rules import Actor
from ig.db import check_version
from ig.dpia import rules
from ig.dpia.models import Dpia, DpiaRisk, Status
from ig.dpia.policy import DpiaPolicy
from ig.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed

# The states in which the assessment may still change.
OPEN = (Status.DRAFT, Status.SCREENED, Status.IN_ASSESSMENT, Status.AWAITING_SIGN_OFF)


@dataclass(frozen=True)
class DpiaInput:
    title: str
    description: str
    owner_user_id: int


@dataclass(frozen=True)
class RiskInput:
    description: str
    likelihood: int
    severity: int
    measures: str
    residual_likelihood: int
    residual_severity: int


def require_manage(actor: Actor) -> None:
    if not actor.can("dpia.manage"):
        raise PermissionDenied("Only the IG team can change DPIAs")


def require_open(dpia: Dpia) -> None:
    if dpia.status not in OPEN:
        raise InvalidTransition(
            "This DPIA is signed off and is not changed: record a review to update it"
        )


def _check_details(session: Session, data: DpiaInput) -> None:
    if not data.title.strip():
        raise ValidationFailed("title", "Enter the DPIA's title")
    if not data.description.strip():
        raise ValidationFailed("description", "Describe the processing the DPIA assesses")
    if session.get(User, data.owner_user_id) is None:
        raise ValidationFailed("owner_user_id", "Select the DPIA's owner")


def create_dpia(session: Session, actor: Actor, data: DpiaInput, now: dt.datetime) -> Dpia:
    """Record a draft DPIA; the actor is its author. PermissionDenied, ValidationFailed."""
    require_manage(actor)
    _check_details(session, data)
    dpia = Dpia(
        title=data.title.strip(),
        description=data.description.strip(),
        owner_user_id=data.owner_user_id,
        author_user_id=actor.user_id,
        status=Status.DRAFT,
        screening_criteria=[],
    )
    session.add(dpia)
    session.flush()
    record(session, actor, "dpia.created", "dpia", dpia.id, {"owner": data.owner_user_id}, at=now)
    return dpia


def update_dpia(
    session: Session,
    actor: Actor,
    dpia_id: int,
    data: DpiaInput,
    expected_version: int | None,
    now: dt.datetime,
) -> Dpia:
    """Change an open DPIA's title, description and owner.

    Raises NotFound, PermissionDenied, EditConflict, InvalidTransition, ValidationFailed.
    """
    require_manage(actor)
    dpia = get_dpia(session, dpia_id)
    check_version(dpia, expected_version)
    require_open(dpia)
    _check_details(session, data)
    changed = [
        name
        for name, old, new in (
            ("title", dpia.title, data.title.strip()),
            ("description", dpia.description, data.description.strip()),
            ("owner", dpia.owner_user_id, data.owner_user_id),
        )
        if old != new
    ]
    dpia.title, dpia.description = data.title.strip(), data.description.strip()
    dpia.owner_user_id = data.owner_user_id
    session.flush()
    record(session, actor, "dpia.updated", "dpia", dpia.id, {"fields": changed}, at=now)
    return dpia


def screen_dpia(
    session: Session,
    actor: Actor,
    policy: DpiaPolicy,
    dpia_id: int,
    criteria: Sequence[str],
    expected_version: int | None,
    now: dt.datetime,
) -> rules.ScreeningResult:
    """Record which screening criteria apply and whether a DPIA is required (Art. 35(1), (3)).

    Raises NotFound, PermissionDenied, EditConflict, InvalidTransition, ValidationFailed.
    """
    require_manage(actor)
    dpia = get_dpia(session, dpia_id)
    check_version(dpia, expected_version)
    require_open(dpia)
    unknown = sorted(set(criteria) - set(policy.criteria))
    if unknown:
        raise ValidationFailed("criteria", "Select criteria from the list only")
    result = rules.screening_outcome(criteria, policy)
    dpia.screening_criteria = sorted(set(criteria))
    dpia.is_dpia_required = result.is_required
    dpia.screened_at, dpia.policy_version = now, policy.version
    if dpia.status is Status.DRAFT:
        dpia.status = Status.SCREENED
    session.flush()
    record(
        session,
        actor,
        "dpia.screened",
        "dpia",
        dpia.id,
        {
            "criteria": dpia.screening_criteria,
            "required": result.is_required,
            "policy_version": policy.version,
        },
        at=now,
    )
    return result


def _check_risk(policy: DpiaPolicy, data: RiskInput) -> None:
    if not data.description.strip():
        raise ValidationFailed("description", "Describe the risk to people")
    for prefix, likelihood, severity in (
        ("", data.likelihood, data.severity),
        ("residual_", data.residual_likelihood, data.residual_severity),
    ):
        if not 1 <= likelihood <= len(policy.likelihood):
            raise ValidationFailed(f"{prefix}likelihood", "Select a likelihood from the grid")
        if not 1 <= severity <= len(policy.severity):
            raise ValidationFailed(f"{prefix}severity", "Select a severity from the grid")


def _assessable(session: Session, actor: Actor, dpia_id: int, version: int | None) -> Dpia:
    require_manage(actor)
    dpia = get_dpia(session, dpia_id)
    check_version(dpia, version)
    require_open(dpia)
    if dpia.status is Status.DRAFT:
        raise InvalidTransition("Screen the processing before assessing its risks")
    return dpia


def _rescore(dpia: Dpia) -> None:
    """Keep the highest residual score; a changed risk reopens the assessment."""
    scores = [rules.risk_score(r.residual_likelihood, r.residual_severity) for r in dpia.risks]
    dpia.max_residual_score = max(scores) if scores else None
    dpia.status = Status.IN_ASSESSMENT


def save_risk(
    session: Session,
    actor: Actor,
    policy: DpiaPolicy,
    dpia_id: int,
    risk_id: int | None,
    data: RiskInput,
    expected_version: int | None,
    now: dt.datetime,
) -> DpiaRisk:
    """Add a risk (``risk_id`` None) or change one; the DPIA's residual score follows.

    Raises NotFound, PermissionDenied, EditConflict, InvalidTransition, ValidationFailed.
    """
    dpia = _assessable(session, actor, dpia_id, expected_version)
    _check_risk(policy, data)
    if risk_id is None:
        risk = DpiaRisk()
        dpia.risks.append(risk)
    else:
        risk = get_risk(dpia, risk_id)
    risk.description, risk.measures = data.description.strip(), data.measures.strip()
    risk.likelihood, risk.severity = data.likelihood, data.severity
    risk.residual_likelihood = data.residual_likelihood
    risk.residual_severity = data.residual_severity
    _rescore(dpia)
    session.flush()
    action = "dpia.risk_added" if risk_id is None else "dpia.risk_changed"
    score = rules.risk_score(data.residual_likelihood, data.residual_severity)
    record(session, actor, action, "dpia", dpia.id, {"risk": risk.id, "residual": score}, at=now)
    return risk


def remove_risk(
    session: Session,
    actor: Actor,
    dpia_id: int,
    risk_id: int,
    expected_version: int | None,
    now: dt.datetime,
) -> None:
    """Remove a risk from an open DPIA. NotFound, PermissionDenied, EditConflict, ..."""
    dpia = _assessable(session, actor, dpia_id, expected_version)
    dpia.risks.remove(get_risk(dpia, risk_id))
    _rescore(dpia)
    session.flush()
    record(session, actor, "dpia.risk_removed", "dpia", dpia.id, {"risk": risk_id}, at=now)


def get_risk(dpia: Dpia, risk_id: int) -> DpiaRisk:
    for risk in dpia.risks:
        if risk.id == risk_id:
            return risk
    raise NotFound("This DPIA has no such risk")


def get_dpia(session: Session, dpia_id: int) -> Dpia:
    """The DPIA with its detail and risks; NotFound if there is none."""
    dpia = session.scalar(
        select(Dpia)
        .where(Dpia.id == dpia_id)
        .options(undefer_group("detail"), selectinload(Dpia.risks))
    )
    if dpia is None:
        raise NotFound("There is no such DPIA")
    return dpia


def note_detail_viewed(session: Session, actor: Actor, dpia: Dpia, now: dt.datetime) -> None:
    """Reading the encrypted description and advice is itself audited (design: access)."""
    record(session, actor, "dpia.detail_viewed", "dpia", dpia.id, at=now)


def review_due_query() -> Select:
    """Signed-off DPIAs with their review date and owner (the reminder rule's source)."""
    return select(Dpia.id, Dpia.title, Dpia.review_on, Dpia.owner_user_id).where(
        Dpia.status == Status.SIGNED_OFF, Dpia.review_on.is_not(None)
    )
