"""The decision log checked against its signed versions and against the audit trail.

The log's own columns (status, outcome, dates) copy the signed versions so that lists
filter and sort in SQL: each must still be what the versions say. The audit trail,
whose hash chain ``ig verify-audit`` checks first, records every request raised, every
version opened and every signature with its digest: the log must hold exactly those,
so a request or version deleted, inserted or rolled back is named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.audit.chain import entries_in_order
from ig.audit.models import AuditEntry
from ig.caldicott.models import CaldicottDecision, CaldicottRequest, RequestStatus

# The audit actions that create what the log must hold.
REQUESTED = "caldicott.requested"
ASSESSED = "caldicott.assessed"
AMENDED = "caldicott.amendment_started"
SIGNED = "caldicott.signed"


def _expected_status(request: CaldicottRequest) -> RequestStatus:
    latest = request.versions[-1] if request.versions else None
    if latest is None:
        return RequestStatus.AWAITING_ASSESSMENT
    return RequestStatus.DECIDED if latest.is_signed else RequestStatus.AWAITING_DECISION


def _shown_and_signed(request: CaldicottRequest) -> dict[str, tuple[Any, Any]]:
    """(what the log shows, what the signed versions say) for each decision fact."""
    signed = [v for v in request.versions if v.is_signed]
    last = signed[-1] if signed else None
    first_day: dt.date | None = None
    if signed and signed[0].signed_at is not None:
        first_day = signed[0].signed_at.astimezone(dt.UTC).date()
    return {
        "outcome": (request.outcome, last.outcome if last else None),
        "review date": (request.review_on, last.review_on if last else None),
        "decision date": (request.decided_at, last.signed_at if last else None),
        "first decided day": (request.first_decided_on, first_day),
        "days to decision": (
            request.days_to_decision,
            None if first_day is None else (first_day - request.received_on).days,
        ),
    }


def summary_problems(request: CaldicottRequest) -> list[str]:
    """Where the log's status, outcome or dates are not what the signed versions say."""
    where = request.reference
    problems = []
    expected = _expected_status(request)
    if request.status != expected:
        problems.append(
            f"{where}: its status is '{request.status}' but its versions make it "
            f"'{expected}': the status was changed"
        )
    for label, (shown, signed) in _shown_and_signed(request).items():
        if shown == signed:
            continue
        problem = f"the log shows {label} {shown}, the signed decision {signed}"
        if label in ("outcome", "review date"):
            # The wording the log's own check has always used.
            problem = (
                f"the log's outcome or review date differs from the signed decision: {problem}"
            )
        problems.append(f"{where}: {problem}")
    return problems


@dataclass
class TrailFacts:
    """What the audit trail records of one request: seq numbers of the entries."""

    requested: int | None = None
    versions: dict[int, int] = field(default_factory=dict)  # number -> entry opening it
    signed: dict[int, tuple[int, str | None]] = field(default_factory=dict)  # number -> seq, digest


def _caldicott_entries(session: Session, batch: int = 2000) -> Iterator[Any]:
    query = select(
        AuditEntry.id,
        AuditEntry.seq,
        AuditEntry.action,
        AuditEntry.record_id,
        AuditEntry.detail,
    ).where(
        AuditEntry.record_type == "caldicott_request",
        AuditEntry.action.in_((REQUESTED, ASSESSED, AMENDED, SIGNED)),
    )
    return entries_in_order(session, query, batch)


def _number(detail: Any) -> int | None:
    value = detail.get("version") if isinstance(detail, dict) else None
    return value if isinstance(value, int) else None


def trail_facts(session: Session) -> dict[str, TrailFacts]:
    """Every request the audit trail records, by reference, with its versions."""
    facts: dict[str, TrailFacts] = {}
    for entry in _caldicott_entries(session):
        found = facts.setdefault(str(entry.record_id), TrailFacts())
        number = _number(entry.detail)
        if entry.action == REQUESTED:
            found.requested = entry.seq
        elif number is None:
            continue
        elif entry.action == SIGNED:
            found.signed[number] = (entry.seq, entry.detail.get("digest"))
        else:
            found.versions.setdefault(number, entry.seq)
    return facts


def against_trail(request: CaldicottRequest, facts: TrailFacts | None) -> list[str]:
    """Where the request and its versions differ from what the audit trail records."""
    where = request.reference
    if facts is None or facts.requested is None:
        return [f"{where}: the audit trail has no record of it being raised: it was inserted"]
    held = {v.number: v for v in request.versions}
    problems = [
        f"{where} version {number}: the audit trail records it (entry {seq}) "
        "but it is not in the log: it was deleted or rolled back"
        for number, seq in sorted(_recorded_versions(facts).items())
        if number not in held
    ]
    for version in request.versions:
        problems.extend(_version_against_trail(where, version, facts))
    return problems


def _recorded_versions(facts: TrailFacts) -> dict[int, int]:
    """Each version number the trail records, with the first entry that names it."""
    recorded = {number: seq for number, (seq, _digest) in facts.signed.items()}
    for number, seq in facts.versions.items():
        recorded[number] = min(seq, recorded.get(number, seq))
    return recorded


def _version_against_trail(where: str, version: CaldicottDecision, facts: TrailFacts) -> list[str]:
    number = version.number
    problems = []
    if number not in facts.versions and number not in facts.signed:
        problems.append(
            f"{where} version {number}: the audit trail has no record of it: it was inserted"
        )
    signing = facts.signed.get(number)
    if version.is_signed and signing is None:
        problems.append(
            f"{where} version {number}: the audit trail has no record of its signature: "
            "it was signed outside ig"
        )
    elif signing is not None and version.is_signed and signing[1] != version.digest:
        problems.append(
            f"{where} version {number}: its digest is not the one the audit trail recorded "
            f"at signing (entry {signing[0]}): the signed record was replaced"
        )
    elif signing is not None and not version.is_signed:
        problems.append(
            f"{where} version {number}: the audit trail records its signature "
            f"(entry {signing[0]}) but the log shows it unsigned: the signature was removed"
        )
    return problems


def deleted_requests(facts: dict[str, TrailFacts]) -> list[str]:
    """Requests the audit trail records that the log no longer holds."""
    return [
        f"{reference}: the audit trail records it ({_recorded(found)}) "
        "but it is not in the log: it was deleted"
        for reference, found in sorted(facts.items())
    ]


def _recorded(found: TrailFacts) -> str:
    said = [] if found.requested is None else [f"raised in entry {found.requested}"]
    said.extend(
        f"version {number} signed in entry {seq}"
        for number, (seq, _d) in sorted(found.signed.items())
    )
    return ", ".join(said) or "entries about it"
