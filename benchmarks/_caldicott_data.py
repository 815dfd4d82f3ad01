"""The decision log the benchmark measures: requests over five years, most decided and
sealed, some amended (two signed versions), the rest awaiting assessment or decision.
Generated reproducibly from a seed; digests are computed exactly as sign-off does."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from benchmarks._bound_rows import bound
from ig.auth.models import User, UserRole
from ig.caldicott import rules
from ig.caldicott.integrity import signed_content
from ig.caldicott.models import (
    CaldicottDecision,
    CaldicottRequest,
    CaldicottSubject,
    Capacity,
    RequestStatus,
)
from ig.caldicott.policy import CaldicottPolicy
from ig.crypto import get_keyring
from ig.people.models import Organisation

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
ORGANISATIONS = 60
BATCH = 2_000
OUTCOMES = ("approved", "approved_with_conditions", "declined", "advice_only")
GUARDIAN, STAFF = 1, 2  # user ids: the Guardian signs; staff raise


def _request(rng: random.Random, policy: CaldicottPolicy, number: int) -> CaldicottRequest:
    received = (NOW - dt.timedelta(days=rng.randrange(5 * 365))).date()
    roll = rng.random()
    status = (
        RequestStatus.AWAITING_ASSESSMENT
        if roll < 0.05
        else RequestStatus.AWAITING_DECISION
        if roll < 0.15
        else RequestStatus.DECIDED
    )
    organisation = 1 + number % ORGANISATIONS
    request = CaldicottRequest(
        id=number, year=received.year, serial=number, reference=f"CG-{received.year}-{number:05d}",
        received_on=received, raised_by_id=STAFF, requester_name=f"Requester {number % 300}",
        requester_role="Officer", organisation_id=organisation,
        organisation_name=f"Organisation {organisation}", channel=rng.choice(list(policy.channels)),
        request_type=rng.choice(list(policy.request_types)), urgency="routine",
        purpose=f"Purpose of request {number}", information="Records of one person",
        case_details=f"Benchmark case {number}", data_categories="care_records,health",
        people_count=rng.randrange(1, 50), includes_deceased=False,
        needed_by=received + dt.timedelta(days=rng.randrange(3, 30)), status=status,
        signed_number=0, version=1, created_at=NOW, updated_at=NOW,
    )  # fmt: skip
    request.subjects = [CaldicottSubject(
        id=number, request_id=number, position=0, identifier=f"AC-{rng.randrange(10**6):06d}",
    )]  # fmt: skip
    request.subjects[0].identifier_index = get_keyring().blind_index(
        request.subjects[0].identifier, "caldicott_subjects.identifier"
    )
    return request


def _version(
    policy: CaldicottPolicy,
    request: CaldicottRequest,
    number: int,
    vid: int,
    supersedes: int | None,
) -> CaldicottDecision:
    assessed = dt.datetime.combine(request.received_on, dt.time(10), dt.UTC)
    return CaldicottDecision(
        id=vid, request_id=request.id, number=number, supersedes_id=supersedes,
        amendment_reason="Scope changed" if supersedes else None, assessed_by_id=GUARDIAN,
        assessed_by_name="bench1@example.org", assessed_at=assessed, article6="e_public_task",
        article9="not_applicable", article10="not_applicable",
        confidentiality_basis="statutory_gateway", legal_basis_note="Statutory gateway",
        principle_notes=json.dumps({p.key: f"Met {p.number}" for p in policy.principles}),
        consultations=json.dumps([["Legal services", "Content"]]),
        recommended_outcome="approved", recommendation="Approve", signed_by_name="",
        version=1, created_at=NOW, updated_at=NOW,
    )  # fmt: skip


def _sign(
    rng: random.Random,
    policy: CaldicottPolicy,
    request: CaldicottRequest,
    version: CaldicottDecision,
    days: int,
) -> None:
    signed_at = dt.datetime.combine(request.received_on, dt.time(15), dt.UTC) + dt.timedelta(days)
    outcome = rng.choice(OUTCOMES)
    version.outcome = outcome  # type: ignore[assignment]
    version.conditions = json.dumps(
        ["Minimum only"] if outcome == "approved_with_conditions" else []
    )
    version.reasons = "Necessary and proportionate"
    version.review_on = (signed_at + dt.timedelta(days=365)).date() if rng.random() < 0.4 else None
    version.signed_by_id, version.signed_by_name = GUARDIAN, "Bench Guardian"
    version.signed_capacity, version.signed_at = Capacity.GUARDIAN, signed_at
    version.reauth_method, version.policy_version = "password", policy.version
    canonical = rules.canonical_json(signed_content(request, version))
    version.digest = rules.digest_of(canonical)
    version.seal = rules.seal_of(get_keyring().audit_key, canonical)
    request.outcome, request.decided_at = version.outcome, signed_at
    request.review_on, request.signed_number = version.review_on, version.number
    if request.first_decided_on is None:
        request.first_decided_on = signed_at.date()
        request.days_to_decision = (signed_at.date() - request.received_on).days


def _build(
    rng: random.Random, policy: CaldicottPolicy, number: int, next_vid: int
) -> tuple[CaldicottRequest, list[CaldicottDecision]]:
    request = _request(rng, policy, number)
    if request.status == RequestStatus.AWAITING_ASSESSMENT:
        return request, []
    first = _version(policy, request, 1, next_vid, None)
    request.versions = [first]
    if request.status == RequestStatus.AWAITING_DECISION:
        return request, [first]
    _sign(rng, policy, request, first, rng.randrange(1, 20))
    if rng.random() < 0.2:  # amended: a second signed version superseding the first
        second = _version(policy, request, 2, next_vid + 1, first.id)
        request.versions.append(second)
        _sign(rng, policy, request, second, rng.randrange(20, 200))
    return request, request.versions


def _row(obj: Any) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns}


def generate(engine: Engine, policy: CaldicottPolicy, count: int, seed: int = 42) -> None:
    """Insert organisations, users and ``count`` requests with subjects and versions."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    with engine.begin() as connection:
        connection.execute(insert(Organisation), [
            {"id": o, "name": f"Organisation {o}", "kind": "police", "address": "",
             "assurance_status": "", "dpo_contact": "", "is_self": False}
            for o in range(1, ORGANISATIONS + 1)
        ])  # fmt: skip
        connection.execute(insert(User), [
            {"id": u, "email": f"bench{u}@example.org", "name": f"Bench User {u}",
             "password_hash": "x"} for u in (GUARDIAN, STAFF)
        ])  # fmt: skip
        connection.execute(insert(UserRole), [{"user_id": GUARDIAN, "role": "caldicott_guardian"}])
    insert_requests(engine, policy, rng, count)
    finish(engine)


def insert_requests(
    engine: Engine, policy: CaldicottPolicy, rng: random.Random, count: int
) -> None:
    """Insert ``count`` requests with subjects and versions; organisations 1-60 and users
    1 (the Guardian) and 2 (who raised them) must exist."""
    next_vid = 1
    for start in range(1, count + 1, BATCH):
        requests, versions = [], []
        for number in range(start, min(start + BATCH, count + 1)):
            request, made = _build(rng, policy, number, next_vid)
            next_vid += len(made)
            requests.append(request)
            versions.extend(made)
        with engine.begin() as connection:
            connection.execute(
                insert(CaldicottRequest), bound(CaldicottRequest, [_row(r) for r in requests])
            )
            subjects = [_row(r.subjects[0]) for r in requests]
            connection.execute(insert(CaldicottSubject), bound(CaldicottSubject, subjects))
            if versions:
                rows = bound(CaldicottDecision, [_row(v) for v in versions])
                connection.execute(insert(CaldicottDecision), rows)


def finish(engine: Engine) -> None:
    """Move the serial sequences past the ids given here and gather statistics."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            for table in (
                "users",
                "organisations",
                "caldicott_requests",
                "caldicott_subjects",
                "caldicott_decisions",
            ):
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"
                )
        connection.exec_driver_sql("ANALYZE")
