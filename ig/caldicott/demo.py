"""Demo Caldicott requests for the fictional borough: one at each stage, one amended."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.auth.models import User
from ig.auth.rules import Actor
from ig.caldicott import assessment, service
from ig.caldicott.models import CaldicottRequest
from ig.caldicott.policy import CaldicottPolicy
from ig.caldicott.signoff import DecisionInput, sign_decision
from ig.people.models import Organisation, OrganisationKind


def _organisation(session: Session, kind: OrganisationKind, name: str) -> Organisation:
    found = session.scalar(select(Organisation).where(Organisation.kind == kind).limit(1))
    if found is None:
        found = Organisation(name=name, kind=kind)
        session.add(found)
        session.flush()
    return found


def _request(
    organisation: Organisation,
    now: dt.datetime,
    days_ago: int,
    **values: object,
) -> service.NewRequest:
    received = now.date() - dt.timedelta(days=days_ago)
    defaults: dict[str, object] = {
        "received_on": received,
        "requester_name": "DC Sam Fielding",
        "requester_role": "Detective constable",
        "organisation_id": organisation.id,
        "channel": "email",
        "request_type": "police_disclosure",
        "urgency": "routine",
        "purpose": "Investigation of a reported assault on a care home resident",
        "information": "Care records and incident log for one resident, March 2026",
        "categories": ("care_records", "health"),
        "people_count": 1,
        "includes_deceased": False,
        "needed_by": received + dt.timedelta(days=14),
        "case_details": "Resident at Elm Court (fictional); family aware of police contact.",
        "identifiers": ("EM-100234",),
    }
    defaults.update(values)
    return service.NewRequest(**defaults)  # type: ignore[arg-type]


def _assessment(policy: CaldicottPolicy, recommended: str, why: str) -> assessment.AssessmentInput:
    return assessment.AssessmentInput(
        article6="e_public_task",
        article9="g_substantial_public_interest",
        article10="crime_prevention",
        confidentiality_basis="statutory_gateway",
        legal_basis_note="Crime and Disorder Act 1998 s. 115; DPA 2018 Sch. 2 para. 2",
        principle_notes={p.key: f"Considered: {p.title.lower()}." for p in policy.principles},
        consultations=(assessment.Consultation("Legal services", "The gateway applies"),),
        recommended_outcome=recommended,
        recommendation=why,
    )


def load_caldicott_demo(
    session: Session,
    policy: CaldicottPolicy,
    staff: Actor,
    officer: Actor,
    guardian: tuple[User, Actor],
    password: str,
    now: dt.datetime,
) -> None:
    """Four requests: awaiting assessment, awaiting decision, decided, decided and amended."""
    police = _organisation(session, OrganisationKind.POLICE, "Eastmere Police (fictional)")
    nhs = _organisation(session, OrganisationKind.NHS_TRUST, "Eastmere NHS Trust (fictional)")
    _raise_research_request(session, policy, staff, nhs, now)
    _raise_assessed_request(session, policy, staff, officer, police, now)
    _raise_decided_and_amended(session, policy, staff, officer, guardian, password, police, now)


def _raise_research_request(
    session: Session,
    policy: CaldicottPolicy,
    staff: Actor,
    nhs: Organisation,
    now: dt.datetime,
) -> None:
    """A research request, awaiting assessment."""
    service.raise_request(
        session,
        staff,
        policy,
        _request(
            nhs,
            now,
            2,
            request_type="research",
            channel="form",
            requester_name="Dr Amy Cole",
            requester_role="Research lead",
            purpose="Evaluate a falls-prevention pilot",
            people_count=420,
            information="Pseudonymised falls data",
            identifiers=(),
        ),
        now,
    )


def _raise_assessed_request(
    session: Session,
    policy: CaldicottPolicy,
    staff: Actor,
    officer: Actor,
    police: Organisation,
    now: dt.datetime,
) -> None:
    """An urgent safeguarding request, assessed and awaiting decision."""
    waiting = service.raise_request(
        session,
        staff,
        policy,
        _request(
            police,
            now,
            5,
            request_type="safeguarding",
            urgency="urgent",
            identifiers=("EM-100234", "EM-100871"),
        ),
        now,
    )
    assessment.save_assessment(
        session,
        officer,
        policy,
        waiting,
        _assessment(policy, "approved", "Share the minimum to protect"),
        now,
    )


def _raise_decided_and_amended(
    session: Session,
    policy: CaldicottPolicy,
    staff: Actor,
    officer: Actor,
    guardian: tuple[User, Actor],
    password: str,
    police: Organisation,
    now: dt.datetime,
) -> None:
    """A police disclosure, decided, then amended and signed again."""
    decided = service.raise_request(session, staff, policy, _request(police, now, 30), now)
    assessment.save_assessment(
        session,
        officer,
        policy,
        decided,
        _assessment(policy, "approved_with_conditions", "Disclose the log"),
        now,
    )
    _sign(
        session,
        policy,
        decided,
        guardian,
        password,
        ("Incident log only", "Delete after the case closes"),
        "Necessary and proportionate for the investigation",
        now,
    )
    assessment.start_amendment(session, officer, decided, "The police asked for a second log", now)
    assessment.save_assessment(
        session,
        officer,
        policy,
        decided,
        _assessment(policy, "approved_with_conditions", "Add the April log"),
        now,
    )
    _sign(
        session,
        policy,
        decided,
        guardian,
        password,
        ("Incident logs for March and April only", "Delete after the case closes"),
        "Still necessary; the second log is within the same investigation",
        now,
    )


def _sign(
    session: Session,
    policy: CaldicottPolicy,
    request: CaldicottRequest,
    guardian: tuple[User, Actor],
    password: str,
    conditions: tuple[str, ...],
    reasons: str,
    now: dt.datetime,
) -> None:
    """The Guardian approves with conditions, signing with the password."""
    user, actor = guardian
    sign_decision(
        session,
        actor,
        policy,
        request,
        user,
        DecisionInput("approved_with_conditions", conditions, reasons, None, password=password),
        now,
    )
