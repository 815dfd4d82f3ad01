"""Pure rules of the decision log: references, statuses, who may sign, digests, diffs."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ig.caldicott.models import Capacity, Outcome, RequestStatus
from ig.errors import PermissionDenied, ValidationFailed

DUE_FOR_REVIEW = "due_for_review"
STATUS_LABELS = {
    RequestStatus.AWAITING_ASSESSMENT.value: "Awaiting assessment",
    RequestStatus.AWAITING_DECISION.value: "Awaiting decision",
    RequestStatus.DECIDED.value: "Decided",
    DUE_FOR_REVIEW: "Due for review",
}
OUTCOME_LABELS = {
    Outcome.APPROVED.value: "Approved",
    Outcome.APPROVED_WITH_CONDITIONS.value: "Approved with conditions",
    Outcome.DECLINED.value: "Declined",
    Outcome.ADVICE_ONLY.value: "Advice only",
}
CAPACITY_LABELS = {
    Capacity.GUARDIAN.value: "Caldicott Guardian",
    Capacity.DEPUTY.value: "Deputy Caldicott Guardian, acting for the Guardian",
}
# The orders the log offers, by the keys of log_query.SORTS.
SORT_LABELS = {
    "received": "Date received",
    "needed_by": "Needed by",
    "reference": "Reference",
    "decided": "Date decided",
    "review": "Review date",
}


def make_reference(prefix: str, year: int, serial: int) -> str:
    """A request reference such as CG-2026-0017."""
    return f"{prefix}-{year}-{serial:04d}"


def display_status(status: str, review_on: dt.date | None, today: dt.date, lead_days: int) -> str:
    """The status the log shows: a decided request whose review is near is due for review."""
    due = review_on is not None and review_on <= today + dt.timedelta(days=lead_days)
    if status == RequestStatus.DECIDED and due:
        return DUE_FOR_REVIEW
    return str(status)


def capacity_of(roles: Iterable[str]) -> Capacity | None:
    """The capacity in which someone with ``roles`` signs; None if they may not sign."""
    held = set(roles)
    if Capacity.GUARDIAN.value in held:
        return Capacity.GUARDIAN
    if Capacity.DEPUTY.value in held:
        return Capacity.DEPUTY
    return None


def check_may_sign(signer_id: int | None, roles: Iterable[str], raised_by_id: int) -> Capacity:
    """The signer's capacity, or PermissionDenied.

    Only the Caldicott Guardian, or a deputy acting for them, decides; nobody signs off
    a request they raised, so that the decision is independent of the request.
    """
    capacity = capacity_of(roles)
    if capacity is None or signer_id is None:
        raise PermissionDenied("Only the Caldicott Guardian or a deputy can sign a decision")
    if signer_id == raised_by_id:
        raise PermissionDenied(
            "You raised this request, so you cannot sign its decision: ask another Guardian"
        )
    return capacity


def check_decision(
    outcome: str, conditions: list[str], reasons: str, review_on: dt.date | None, today: dt.date
) -> None:
    """ValidationFailed unless the decision is complete and consistent."""
    if outcome not in OUTCOME_LABELS:
        raise ValidationFailed("outcome", "Select the decision")
    if outcome == Outcome.APPROVED_WITH_CONDITIONS and not conditions:
        raise ValidationFailed("conditions", "List the conditions of the approval, one a line")
    if outcome != Outcome.APPROVED_WITH_CONDITIONS and conditions:
        raise ValidationFailed(
            "conditions",
            "Conditions go with 'approved with conditions': remove them or choose that decision",
        )
    if not reasons.strip():
        raise ValidationFailed("reasons", "Enter the reasons for the decision")
    if review_on is not None and review_on <= today:
        raise ValidationFailed("review_on", "The review date must be in the future")


def default_review_on(
    decided: dt.date, request_type: str, months: Mapping[str, int]
) -> dt.date | None:
    """The review date for a continuing use of this type, or None if it is not continuing."""
    count = months.get(request_type)
    if count is None:
        return None
    month = decided.month - 1 + count
    year = decided.year + month // 12
    day = min(decided.day, 28)
    return dt.date(year, month % 12 + 1, day)


def split_lines(text: str) -> list[str]:
    """Non-empty, stripped lines of a text area."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse_categories(text: str, known: Iterable[str]) -> list[str]:
    """The known category keys in a comma list, in order, without repeats."""
    allowed = set(known)
    seen: list[str] = []
    for part in text.split(","):
        key = part.strip()
        if key in allowed and key not in seen:
            seen.append(key)
    return seen


def canonical_json(content: Mapping[str, Any]) -> str:
    """The one byte-exact form of a signed record: sorted keys, no spaces, UTF-8 text."""
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def digest_of(canonical: str) -> str:
    """SHA-256 of the canonical JSON: anyone holding the record can recompute it."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def seal_of(key: bytes, canonical: str) -> str:
    """HMAC-SHA-256 under the audit key: only ig could have produced it."""
    return hmac.new(key, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Change:
    """One field that differs between two versions."""

    field: str
    before: Any
    after: Any


def diff_contents(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """The fields whose values differ between two versions' contents, in key order."""
    keys = sorted(set(before) | set(after))
    return [
        Change(key, before.get(key), after.get(key))
        for key in keys
        if before.get(key) != after.get(key)
    ]
