"""What a signature covers, and checking that signed decisions are still exactly that.

``signed_content`` is the one definition of the signed record: sign-off seals it and
verification recomputes it from what the database holds now.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from ig.caldicott import rules
from ig.caldicott.models import CaldicottDecision, CaldicottRequest
from ig.crypto import DecryptionError, get_keyring

FORMAT = 1


def _instant(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _json(value: str | None, empty: Any) -> Any:
    return empty if value is None else json.loads(value)


def request_content(request: CaldicottRequest) -> dict[str, Any]:
    """The request as signed: its own fields are fixed once it is raised."""
    return {
        "reference": request.reference,
        "received_on": _date(request.received_on),
        "raised_by_id": request.raised_by_id,
        "requester_name": request.requester_name,
        "requester_role": request.requester_role,
        "organisation_id": request.organisation_id,
        "organisation_name": request.organisation_name,
        "channel": request.channel,
        "request_type": request.request_type,
        "urgency": request.urgency,
        "purpose": request.purpose,
        "information": request.information,
        "case_details": request.case_details,
        "data_categories": request.category_keys,
        "people_count": request.people_count,
        "includes_deceased": request.includes_deceased,
        "needed_by": _date(request.needed_by),
        "identifiers": [subject.identifier for subject in request.subjects],
    }


def version_content(version: CaldicottDecision) -> dict[str, Any]:
    """One version's assessment and decision, as compared between versions."""
    return {
        "amendment_reason": version.amendment_reason,
        "assessed_by": version.assessed_by_name,
        "assessed_at": _instant(version.assessed_at),
        "article6": version.article6,
        "article9": version.article9,
        "article10": version.article10,
        "confidentiality_basis": version.confidentiality_basis,
        "legal_basis_note": version.legal_basis_note,
        "principle_notes": _json(version.principle_notes, {}),
        "consultations": _json(version.consultations, []),
        "recommended_outcome": version.recommended_outcome,
        "recommendation": version.recommendation,
        "outcome": version.outcome,
        "conditions": _json(version.conditions, []),
        "reasons": version.reasons,
        "review_on": _date(version.review_on),
    }


def signed_content(request: CaldicottRequest, version: CaldicottDecision) -> dict[str, Any]:
    """Exactly what a signature covers: the request, this version, the signer and the
    digest of the version it supersedes (so that versions form a chain)."""
    superseded = next((v for v in request.versions if v.id == version.supersedes_id), None)
    return {
        "format": FORMAT,
        "request": request_content(request),
        "version": {"number": version.number, **version_content(version)},
        "supersedes_digest": superseded.digest if superseded else None,
        "signature": {
            "signed_by_id": version.signed_by_id,
            "signed_by_name": version.signed_by_name,
            "capacity": version.signed_capacity,
            "signed_at": _instant(version.signed_at),
            "reauthentication": version.reauth_method,
            "policy_version": version.policy_version,
        },
    }


def check_version(request: CaldicottRequest, version: CaldicottDecision) -> str | None:
    """None if the signed version is exactly what was signed, else what is wrong."""
    where = f"{request.reference} version {version.number}"
    try:
        canonical = rules.canonical_json(signed_content(request, version))
    except ValueError:  # a structured field (JSON) replaced by something that is not
        return f"{where}: a field was altered and no longer holds what was signed"
    if not version.digest or not hmac.compare_digest(version.digest, rules.digest_of(canonical)):
        return f"{where}: the record no longer matches its digest: it was changed after signing"
    seal = rules.seal_of(get_keyring().audit_key, canonical)
    if not version.seal or not hmac.compare_digest(version.seal, seal):
        return f"{where}: the digest's seal is wrong: the digest itself was replaced"
    return None


def check_request(request: CaldicottRequest) -> list[str]:
    """Every problem with a request's signed versions and the summary the log shows."""
    signed = [v for v in request.versions if v.is_signed]
    problems = [p for p in (check_version(request, v) for v in signed) if p]
    problems.extend(
        f"{request.reference} version {v.number}: its signature was removed"
        for v in request.versions
        if not v.is_signed and (v.digest or v.seal or v.signed_by_id)
    )
    numbers = [v.number for v in signed]
    if numbers != list(range(1, len(numbers) + 1)) or len(numbers) != request.signed_number:
        problems.append(f"{request.reference}: a signed version is missing")
    latest = signed[-1] if signed else None
    if latest is not None and (
        request.outcome != latest.outcome or request.review_on != latest.review_on
    ):
        problems.append(
            f"{request.reference}: the log's outcome or review date differs "
            "from the signed decision"
        )
    return problems


def _signed_batches(session: Session, batch: int) -> Iterator[list[tuple[int, str]]]:
    """(id, reference) of every request with a signed (or once signed) version, in batches."""
    after = 0
    while True:
        rows = session.execute(
            select(CaldicottRequest.id, CaldicottRequest.reference)
            .where(
                CaldicottRequest.id > after,
                or_(
                    CaldicottRequest.signed_number > 0,
                    CaldicottRequest.id.in_(
                        select(CaldicottDecision.request_id).where(
                            CaldicottDecision.digest.is_not(None)
                        )
                    ),
                ),
            )
            .order_by(CaldicottRequest.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        yield [(row.id, row.reference) for row in rows]
        after = rows[-1].id


def _load(session: Session, ids: list[int]) -> list[CaldicottRequest]:
    return list(
        session.scalars(
            select(CaldicottRequest)
            .where(CaldicottRequest.id.in_(ids))
            .order_by(CaldicottRequest.id)
            .options(
                selectinload(CaldicottRequest.subjects), selectinload(CaldicottRequest.versions)
            )
            # Verification reads what the database holds now, never the session's copies.
            .execution_options(populate_existing=True)
        )
    )


def _check_batch(session: Session, batch: list[tuple[int, str]]) -> list[str]:
    try:
        return [
            p for request in _load(session, [i for i, _r in batch]) for p in check_request(request)
        ]
    except DecryptionError:
        session.expunge_all()
    # A value that no longer decrypts spoils the whole batch's load: find which, one by one.
    problems = []
    for request_id, reference in batch:
        try:
            problems.extend(check_request(_load(session, [request_id])[0]))
        except DecryptionError:
            problems.append(f"{reference}: an encrypted field was altered and no longer decrypts")
        session.expunge_all()
    return problems


def verify_signed_decisions(session: Session, batch: int = 500) -> list[str]:
    """Problems with any signed Caldicott decision; an empty list means all are intact.

    ``ig verify-audit`` calls this alongside the audit chain check.
    """
    problems: list[str] = []
    for ids in _signed_batches(session, batch):
        problems.extend(_check_batch(session, ids))
        session.expunge_all()
    return problems
