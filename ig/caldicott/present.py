"""Ready-to-show views of requests and decision versions, so templates decide nothing."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from ig.auth.rules import Actor
from ig.caldicott import rules
from ig.caldicott.integrity import check_version, version_content
from ig.caldicott.models import CaldicottDecision, CaldicottRequest, Outcome
from ig.caldicott.policy import CaldicottPolicy
from ig.charts import Bar, bars

FIELD_LABELS = {
    "amendment_reason": "Reason for amendment",
    "assessed_by": "Assessed by",
    "assessed_at": "Assessed at",
    "article6": "Article 6 condition",
    "article9": "Article 9 condition",
    "article10": "Article 10 condition",
    "confidentiality_basis": "Duty of confidentiality",
    "legal_basis_note": "Notes on the legal basis",
    "principle_notes": "Principle notes",
    "consultations": "People consulted",
    "recommended_outcome": "Recommendation",
    "recommendation": "Why recommended",
    "outcome": "Decision",
    "conditions": "Conditions",
    "reasons": "Reasons",
    "review_on": "Review date",
}


@dataclass(frozen=True)
class VersionView:
    """One version as the decision page and the printable record show it."""

    number: int
    state: str
    row_version: int
    amendment_reason: str | None
    assessed_by: str
    assessed_at: dt.datetime | None
    legal_bases: list[tuple[str, str]]
    legal_basis_note: str
    principles: list[tuple[str, str, str]]
    consultations: list[tuple[str, str]]
    recommendation: tuple[str, str]
    outcome: str
    conditions: list[str]
    reasons: str
    review_on: dt.date | None
    signed_by: str
    capacity: str
    signed_at: dt.datetime | None
    reauthentication: str
    digest: str | None
    integrity_problem: str | None
    changes: list[str] = field(default_factory=list)


def _state(version: CaldicottDecision, latest_signed: int) -> str:
    if not version.is_signed:
        return "Draft: awaiting decision" if version.is_assessed else "Draft"
    return "Signed, in force" if version.number == latest_signed else "Signed, superseded"


def version_view(
    policy: CaldicottPolicy, request: CaldicottRequest, version: CaldicottDecision
) -> VersionView:
    notes = json.loads(version.principle_notes or "{}")
    bases = policy.legal_bases
    return VersionView(
        number=version.number,
        state=_state(version, request.signed_number),
        row_version=version.version,
        amendment_reason=version.amendment_reason,
        assessed_by=version.assessed_by_name,
        assessed_at=version.assessed_at,
        legal_bases=[
            ("UK GDPR Article 6", bases["article6"].get(version.article6 or "", "")),
            ("Article 9", bases["article9"].get(version.article9 or "", "")),
            ("Article 10", bases["article10"].get(version.article10 or "", "")),
            (
                "Duty of confidentiality",
                bases["confidentiality"].get(version.confidentiality_basis or "", ""),
            ),
        ],
        legal_basis_note=version.legal_basis_note or "",
        principles=[(str(p.number), p.title, notes.get(p.key, "")) for p in policy.principles],
        consultations=[(who, advice) for who, advice in json.loads(version.consultations or "[]")],
        recommendation=(
            rules.OUTCOME_LABELS.get(version.recommended_outcome or "", ""),
            version.recommendation or "",
        ),
        outcome=rules.OUTCOME_LABELS.get(version.outcome or "", ""),
        conditions=json.loads(version.conditions or "[]"),
        reasons=version.reasons or "",
        review_on=version.review_on,
        signed_by=version.signed_by_name,
        capacity=rules.CAPACITY_LABELS.get(version.signed_capacity or "", ""),
        signed_at=version.signed_at,
        reauthentication={"totp": "authenticator code", "password": "password"}.get(
            version.reauth_method or "", ""
        ),
        digest=version.digest,
        integrity_problem=check_version(request, version) if version.is_signed else None,
    )


def history(policy: CaldicottPolicy, request: CaldicottRequest) -> list[VersionView]:
    """Every version, newest first, each with what changed from the one before."""
    views = []
    previous: dict[str, Any] | None = None
    for version in request.versions:
        content = version_content(version)
        view = version_view(policy, request, version)
        if previous is not None:
            view.changes.extend(
                FIELD_LABELS.get(change.field, change.field)
                for change in rules.diff_contents(previous, content)
                if change.field not in ("assessed_at", "assessed_by")
            )
        views.append(view)
        previous = content
    return list(reversed(views))


@dataclass(frozen=True)
class RequestView:
    """The request's own fields, with labels in place of keys."""

    reference: str
    status: str
    rows: list[tuple[str, str]]
    identifiers: list[str]


def request_view(policy: CaldicottPolicy, request: CaldicottRequest, today: dt.date) -> RequestView:
    status = rules.display_status(request.status, request.review_on, today, policy.review_lead_days)
    categories = ", ".join(policy.label("data_categories", k) for k in request.category_keys)
    return RequestView(
        reference=request.reference,
        status=rules.STATUS_LABELS[status],
        rows=[
            ("Received", request.received_on.strftime("%-d %B %Y")),
            ("Asked by", f"{request.requester_name}, {request.requester_role}"),
            ("Organisation", request.organisation_name),
            ("Channel", policy.label("channels", request.channel)),
            ("Type", policy.label("request_types", request.request_type)),
            ("Urgency", policy.label("urgency", request.urgency)),
            ("Decision needed by", request.needed_by.strftime("%-d %B %Y")),
            ("Purpose", request.purpose),
            ("Information involved", request.information),
            ("Categories", categories),
            ("Number of people", str(request.people_count)),
            ("Any deceased", "Yes" if request.includes_deceased else "No"),
            ("Details of the case", request.case_details),
        ],
        identifiers=[subject.identifier for subject in request.subjects],
    )


@dataclass(frozen=True)
class Actions:
    """What the viewer may do to this request now."""

    can_read: bool
    can_assess: bool
    can_sign: bool
    can_amend: bool
    can_link: bool
    can_draft_agreement: bool
    sign_refusal: str


def actions(actor: Actor, request: CaldicottRequest) -> Actions:
    latest = request.versions[-1] if request.versions else None
    open_version = latest is not None and not latest.is_signed
    refusal = ""
    if actor.can("caldicott.decide") and actor.user_id == request.raised_by_id:
        refusal = "You raised this request, so another Guardian must sign its decision."
    return Actions(
        can_read=actor.can("caldicott.read"),
        can_assess=actor.can("caldicott.assess") and (latest is None or open_version),
        can_sign=actor.can("caldicott.decide")
        and not refusal
        and open_version
        and latest is not None
        and latest.is_assessed,
        can_amend=actor.can("caldicott.assess") and latest is not None and latest.is_signed,
        can_link=actor.can("caldicott.assess"),
        # An approved new data flow is the start of a data-sharing agreement.
        can_draft_agreement=actor.can("sharing.manage")
        and request.request_type == "new_data_flow"
        and request.outcome in (Outcome.APPROVED, Outcome.APPROVED_WITH_CONDITIONS),
        sign_refusal=refusal,
    )


def row_labels(
    policy: CaldicottPolicy, request: CaldicottRequest, today: dt.date
) -> dict[str, str]:
    """Labels for one log row."""
    status = rules.display_status(request.status, request.review_on, today, policy.review_lead_days)
    return {
        "type": policy.label("request_types", request.request_type),
        "status": rules.STATUS_LABELS[status],
        "outcome": rules.OUTCOME_LABELS.get(request.outcome or "", ""),
        "urgency": policy.label("urgency", request.urgency),
    }


def assessment_data(draft: CaldicottDecision | None) -> dict[str, Any]:
    """The assessment form's starting values: the open version's, if it has any."""
    if draft is None:
        return {"article9": "not_applicable", "article10": "not_applicable"}
    notes = json.loads(draft.principle_notes or "{}")
    return {
        "row_version": draft.version,
        "article6": draft.article6,
        "article9": draft.article9 or "not_applicable",
        "article10": draft.article10 or "not_applicable",
        "confidentiality_basis": draft.confidentiality_basis,
        "legal_basis_note": draft.legal_basis_note,
        "consultations": "\n".join(
            f"{who}: {advice}" for who, advice in json.loads(draft.consultations or "[]")
        ),
        "recommended_outcome": draft.recommended_outcome,
        "recommendation": draft.recommendation,
        **{f"principle_{key}": note for key, note in notes.items()},
    }


def decision_data(draft: CaldicottDecision) -> dict[str, Any]:
    """The decision form's starting values: an amendment starts from the decision it amends."""
    return {
        "row_version": draft.version,
        "outcome": draft.outcome or draft.recommended_outcome,
        "conditions": "\n".join(json.loads(draft.conditions or "[]")),
        "reasons": draft.reasons,
        "review_on": draft.review_on,
    }


def outcome_chart(figures: Any) -> list[Bar]:
    """Bars for decisions by outcome: (label, count, width class 0-100)."""
    return bars(
        (rules.OUTCOME_LABELS.get(outcome, outcome), count) for outcome, count in figures.by_outcome
    )
