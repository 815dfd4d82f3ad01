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

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ig.caldicott import rules
from ig.caldicott.crosscheck import (
    TrailFacts,
    against_trail,
    deleted_requests,
    summary_problems,
    trail_facts,
)
from ig.caldicott.models import CaldicottDecision, CaldicottRequest
from ig.crypto import DecryptionError, get_keyring

# 1: the request, the version and the signature. 2: also the first decision day and the
# days to decision. Versions keep verifying under the format they were signed in.
FORMAT = 2
EARLIER_FORMATS = (1,)


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


def _decision_content(request: CaldicottRequest) -> dict[str, Any]:
    """The decision facts the log and the decision page show beside the version itself
    (FORMAT 2 on): fixed at the first sign-off, so every later version carries them too."""
    return {
        "first_decided_on": _date(request.first_decided_on),
        "days_to_decision": request.days_to_decision,
    }


def _content(request: CaldicottRequest, version: CaldicottDecision, fmt: int) -> dict[str, Any]:
    superseded = next((v for v in request.versions if v.id == version.supersedes_id), None)
    content = {
        "format": fmt,
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
    if fmt >= 2:
        content["decision"] = _decision_content(request)
    return content


def signed_content(request: CaldicottRequest, version: CaldicottDecision) -> dict[str, Any]:
    """Exactly what a signature covers: the request, this version, the signer, the
    decision's dates and the digest of the version it supersedes (a chain of versions).

    A version signed before FORMAT 2 is shown in the format it was signed in, so that
    the digest of what is shown is still the digest it carries.
    """
    current = _content(request, version, FORMAT)
    if not version.digest or _digest_matches(version, current):
        return current
    for fmt in EARLIER_FORMATS:
        earlier = _content(request, version, fmt)
        if _digest_matches(version, earlier):
            return earlier
    return current


def _digest_matches(version: CaldicottDecision, content: dict[str, Any]) -> bool:
    digest = rules.digest_of(rules.canonical_json(content))
    return version.digest is not None and hmac.compare_digest(version.digest, digest)


def check_version(request: CaldicottRequest, version: CaldicottDecision) -> str | None:
    """None if the signed version is exactly what was signed, else what is wrong.

    A digest made under an earlier format is accepted only with that format's own
    content: the format is inside what is hashed, so none can pass for another.
    """
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
    """Every problem with a request's signed versions and the decision facts the log shows."""
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
    problems.extend(summary_problems(request))
    return problems


def _batches(session: Session, batch: int) -> Iterator[list[tuple[int, str]]]:
    """(id, reference) of every request, in batches: an unsigned one can be forged too."""
    after = 0
    while True:
        rows = session.execute(
            select(CaldicottRequest.id, CaldicottRequest.reference)
            .where(CaldicottRequest.id > after)
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


def _problems(request: CaldicottRequest, facts: dict[str, TrailFacts]) -> list[str]:
    return [*check_request(request), *against_trail(request, facts.pop(request.reference, None))]


def _check_batch(
    session: Session, batch: list[tuple[int, str]], facts: dict[str, TrailFacts]
) -> list[str]:
    try:
        loaded = _load(session, [i for i, _r in batch])
        return [p for request in loaded for p in _problems(request, facts)]
    except (DecryptionError, LookupError):
        session.expunge_all()
    # A value that cannot be read spoils the whole batch's load: find which, one by one.
    problems = []
    for request_id, reference in batch:
        try:
            problems.extend(_problems(_load(session, [request_id])[0], facts))
        except DecryptionError:
            facts.pop(reference, None)
            problems.append(f"{reference}: an encrypted field was altered and no longer decrypts")
        except LookupError as error:  # a status or outcome that is no member of its enum
            facts.pop(reference, None)
            problems.append(f"{reference}: a field holds a value ig does not know ({error})")
        session.expunge_all()
    return problems


def verify_signed_decisions(session: Session, batch: int = 500) -> list[str]:
    """Problems with the decision log; an empty list means all is intact.

    Every request is checked: its signed versions against their digests and seals,
    its status and dates against its versions, and both against the audit trail,
    which must record each request, version and signature the log holds, and no other.
    ``ig verify-audit`` calls this after checking the audit chain itself.
    """
    facts = trail_facts(session)
    problems: list[str] = []
    for ids in _batches(session, batch):
        problems.extend(_check_batch(session, ids, facts))
        session.expunge_all()
    problems.extend(deleted_requests(facts))
    return problems
