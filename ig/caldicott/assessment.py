"""Assessing a request, and amending a signed decision by opening a new version."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.auth.service import get_user
from ig.caldicott import rules
from ig.caldicott.models import CaldicottDecision, CaldicottRequest, Outcome, RequestStatus
from ig.caldicott.policy import CaldicottPolicy
from ig.caldicott.service import check_choice
from ig.errors import EditConflict, InvalidTransition, PermissionDenied, ValidationFailed


@dataclass(frozen=True)
class Consultation:
    who: str
    advice: str


@dataclass(frozen=True)
class AssessmentInput:
    """The assessor's view: legal basis, the eight principles, advice, recommendation."""

    article6: str
    article9: str
    article10: str
    confidentiality_basis: str
    legal_basis_note: str
    principle_notes: Mapping[str, str]
    consultations: tuple[Consultation, ...]
    recommended_outcome: str
    recommendation: str
    row_version: int | None = None


def parse_consultations(text: str) -> tuple[Consultation, ...]:
    """Lines of "who: advice"; ValidationFailed naming the first line without both."""
    found = []
    for number, line in enumerate(rules.split_lines(text), start=1):
        who, _, advice = line.partition(":")
        if not who.strip() or not advice.strip():
            raise ValidationFailed(
                "consultations",
                f"Line {number}: write who was consulted, a colon, then their advice",
            )
        found.append(Consultation(who.strip(), advice.strip()))
    return tuple(found)


def _check_assessment(policy: CaldicottPolicy, data: AssessmentInput) -> None:
    bases = policy.legal_bases
    check_choice("article6", data.article6, bases["article6"], "the UK GDPR Article 6 condition")
    check_choice("article9", data.article9, bases["article9"], "the Article 9 condition")
    check_choice("article10", data.article10, bases["article10"], "the Article 10 condition")
    check_choice(
        "confidentiality_basis",
        data.confidentiality_basis,
        bases["confidentiality"],
        "the basis under the common-law duty of confidentiality",
    )
    for principle in policy.principles:
        if not data.principle_notes.get(principle.key, "").strip():
            raise ValidationFailed(
                f"principle_{principle.key}",
                f"Say how principle {principle.number} is met (or why it is not)",
            )
    check_choice(
        "recommended_outcome", data.recommended_outcome, rules.OUTCOME_LABELS, "the recommendation"
    )
    if not data.recommendation.strip():
        raise ValidationFailed("recommendation", "Enter the recommendation and why")


def draft_of(request: CaldicottRequest) -> CaldicottDecision | None:
    """The version still open for assessment and sign-off, if any."""
    latest = request.versions[-1] if request.versions else None
    return latest if latest is not None and not latest.is_signed else None


def save_assessment(
    session: Session,
    actor: Actor,
    policy: CaldicottPolicy,
    request: CaldicottRequest,
    data: AssessmentInput,
    now: dt.datetime,
) -> CaldicottDecision:
    """Write the assessment into the open version (creating version 1 if none).

    Raises InvalidTransition when the latest version is signed (amend it instead) and
    EditConflict if the version changed since the form was loaded.
    """
    if not actor.can("caldicott.assess"):
        raise PermissionDenied("Only the IG team or the Guardian can assess a request")
    draft = draft_of(request)
    if draft is None and request.versions:
        raise InvalidTransition(
            "This decision is signed and cannot be changed. Start an amendment to change it"
        )
    if draft is not None and data.row_version is not None and draft.version != data.row_version:
        raise EditConflict()
    _check_assessment(policy, data)
    if draft is None:
        draft = CaldicottDecision(request=request, number=1)
        session.add(draft)
    _apply_assessment(draft, actor, _name_of(session, actor), data, now)
    request.status = RequestStatus.AWAITING_DECISION
    session.flush()
    record(
        session,
        actor,
        "caldicott.assessed",
        "caldicott_request",
        request.reference,
        {"version": draft.number},
        at=now,
    )
    return draft


def _name_of(session: Session, actor: Actor) -> str:
    """The person's name, as the record shows who assessed (their e-mail is no name)."""
    if actor.user_id is None:
        return actor.label
    return get_user(session, actor.user_id).name


def _apply_assessment(
    draft: CaldicottDecision, actor: Actor, name: str, data: AssessmentInput, now: dt.datetime
) -> None:
    draft.assessed_by_id = actor.user_id
    draft.assessed_by_name = name
    draft.assessed_at = now
    draft.article6 = data.article6
    draft.article9 = data.article9
    draft.article10 = data.article10
    draft.confidentiality_basis = data.confidentiality_basis
    draft.legal_basis_note = data.legal_basis_note.strip()
    draft.principle_notes = json.dumps({k: v.strip() for k, v in data.principle_notes.items()})
    draft.consultations = json.dumps([[c.who, c.advice] for c in data.consultations])
    draft.recommended_outcome = Outcome(data.recommended_outcome)
    draft.recommendation = data.recommendation.strip()


COPIED_ON_AMENDMENT = (
    "article6",
    "article9",
    "article10",
    "confidentiality_basis",
    "legal_basis_note",
    "principle_notes",
    "consultations",
    "recommended_outcome",
    "recommendation",
    "outcome",
    "conditions",
    "reasons",
    "review_on",
)


def start_amendment(
    session: Session, actor: Actor, request: CaldicottRequest, reason: str, now: dt.datetime
) -> CaldicottDecision:
    """Open a new version that supersedes the signed one; it needs its own sign-off.

    The signed version stays exactly as it was. InvalidTransition if the latest
    version is not signed (there is already an open version to work on).
    """
    if not actor.can("caldicott.assess"):
        raise PermissionDenied("Only the IG team or the Guardian can amend a decision")
    latest = request.versions[-1] if request.versions else None
    if latest is None or not latest.is_signed:
        raise InvalidTransition("Only a signed decision can be amended; finish this one first")
    if not reason.strip():
        raise ValidationFailed("reason", "Enter why the decision is being amended")
    amendment = CaldicottDecision(
        request=request,
        number=latest.number + 1,
        supersedes_id=latest.id,
        amendment_reason=reason.strip(),
        assessed_by_id=actor.user_id,
        assessed_by_name=_name_of(session, actor),
        assessed_at=now,
        **{name: getattr(latest, name) for name in COPIED_ON_AMENDMENT},
    )
    session.add(amendment)
    request.status = RequestStatus.AWAITING_DECISION
    session.flush()
    # Row versions count on from the superseded version's: a new row starts at 1, which
    # a form loaded from that version may carry, and sent after the signature and this
    # amendment it would edit or sign the amendment unseen. Now it is a conflict.
    amendment.version = latest.version + 1
    session.flush()
    record(
        session,
        actor,
        "caldicott.amendment_started",
        "caldicott_request",
        request.reference,
        {"version": amendment.number, "supersedes": latest.number},
        at=now,
    )
    return amendment
