"""Demo DPIAs for Eastmere: the AI transcription trial in adult social care (a high
residual risk, the ICO consulted, signed off), an overdue review and one in assessment."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.dpia import links, record_links, service, signoff
from ig.dpia.models import IcoDecision
from ig.dpia.policy import DpiaPolicy
from ig.dpia.service import DpiaInput, RiskInput

TRANSCRIPTION = DpiaInput(
    "AI transcription trial in adult social care",
    "A six-month trial in which social workers record assessment visits on council phones "
    "and a supplier's AI service transcribes and summarises them into the case record. "
    "Recordings hold health and care information about adults with care needs and their "
    "families; the supplier processes them in the UK and deletes them after 30 days.",
    0,
)
TRANSCRIPTION_RISKS = [
    RiskInput(
        "Recordings capture third parties and health details beyond what the assessment needs",
        3,
        3,
        "Consent script read at each visit; recording paused for third parties",
        2,
        3,
    ),
    RiskInput(
        "An inaccurate AI summary leads to a wrong care decision",
        2,
        3,
        "The social worker checks and signs every summary before it is saved",
        1,
        3,
    ),
    RiskInput(
        "The supplier reuses recordings to train its models",
        2,
        2,
        "Contract forbids reuse; audited at the trial's midpoint",
        1,
        2,
    ),
]


def _assess(
    session: Session,
    officer: Actor,
    policy: DpiaPolicy,
    data: DpiaInput,
    criteria: list[str],
    risks: list[RiskInput],
    now: dt.datetime,
) -> int:
    dpia = service.create_dpia(session, officer, data, now)
    service.screen_dpia(session, officer, policy, dpia.id, criteria, dpia.version, now)
    for risk in risks:
        service.save_risk(session, officer, policy, dpia.id, None, risk, dpia.version, now)
    return dpia.id


def _advise_and_submit(session: Session, officer: Actor, dpia_id: int, now: dt.datetime) -> None:
    dpia = service.get_dpia(session, dpia_id)
    advice = signoff.DpoAdvice(
        "Proceed with the measures listed; review after the trial.", now.date(), True
    )
    signoff.record_dpo_advice(session, officer, dpia_id, advice, dpia.version, now)
    signoff.submit_for_sign_off(session, officer, dpia_id, dpia.version, now)


def _transcription_trial(
    session: Session,
    policy: DpiaPolicy,
    officer: Actor,
    siro: Actor,
    owner_id: int,
    now: dt.datetime,
) -> None:
    """High residual risk: the ICO consulted before the SIRO signed it off (Art. 36)."""
    transcription = DpiaInput(TRANSCRIPTION.title, TRANSCRIPTION.description, owner_id)
    trial = _assess(
        session,
        officer,
        policy,
        transcription,
        ["innovative_technology", "large_scale_special_category", "targeting_children"],
        TRANSCRIPTION_RISKS,
        now - dt.timedelta(days=40),
    )
    _advise_and_submit(session, officer, trial, now - dt.timedelta(days=35))
    dpia = service.get_dpia(session, trial)
    consultation = signoff.IcoConsultation(
        IcoDecision.CONSULTED,
        (now - dt.timedelta(days=30)).date(),
        "ICO/PC/2026/0142",
        "The ICO advised that the trial may proceed with the consent script and human review.",
    )
    signoff.record_ico_consultation(
        session, siro, trial, consultation, dpia.version, now - dt.timedelta(days=30)
    )
    signoff.sign_off_dpia(session, siro, policy, trial, dpia.version, now - dt.timedelta(days=10))
    _assesses(
        session,
        officer,
        trial,
        "AI transcription trial for social work visits",
        "Adult social care case records",
        now,
    )


def _safeguarding_hub(
    session: Session,
    policy: DpiaPolicy,
    officer: Actor,
    siro: Actor,
    owner_id: int,
    now: dt.datetime,
) -> None:
    """Signed off 14 months ago: its review is overdue."""
    mash = _assess(
        session,
        officer,
        policy,
        DpiaInput(
            "Multi-agency safeguarding hub case system",
            "Referrals about children at risk are shared and recorded by the council, police "
            "and health partners in one case management system.",
            owner_id,
        ),
        ["large_scale_special_category", "data_matching", "targeting_children"],
        [
            RiskInput(
                "Referral details seen by partners without a need to know",
                2,
                3,
                "Role-based access; quarterly access review",
                1,
                3,
            )
        ],
        now - dt.timedelta(days=430),
    )
    _advise_and_submit(session, officer, mash, now - dt.timedelta(days=425))
    version = service.get_dpia(session, mash).version
    signoff.sign_off_dpia(session, siro, policy, mash, version, now - dt.timedelta(days=420))
    links.link_agreement(session, officer, mash, "DSA-MASH-002", now)
    _assesses(session, officer, mash, "Children's safeguarding", "Children's services records", now)


def load_dpia_demo(
    session: Session,
    policy: DpiaPolicy,
    officer: Actor,
    siro: Actor,
    owner_id: int,
    now: dt.datetime,
) -> None:
    """Three DPIAs, made through the services as the IG officer and the SIRO would."""
    _transcription_trial(session, policy, officer, siro, owner_id, now)
    _safeguarding_hub(session, policy, officer, siro, owner_id, now)
    discharge = _assess(
        session,
        officer,
        policy,
        DpiaInput(
            "Discharge to assess across North Central London",
            "Hospital discharge teams share the care needs of patients ready to leave hospital "
            "with the council's social workers and the boroughs' care providers.",
            owner_id,
        ),
        ["data_matching", "risk_of_physical_harm"],
        [
            RiskInput(
                "Care needs sent to the wrong provider",
                2,
                2,
                "Secure e-mail to named mailboxes only",
                2,
                2,
            )
        ],
        now - dt.timedelta(days=5),
    )
    links.link_agreement(session, officer, discharge, "DSA-NCL-001", now)
    _assesses(
        session,
        officer,
        discharge,
        "Hospital discharge tracking for the trust",
        "Hospital discharge tracker",
        now,
    )


def _assesses(
    session: Session, officer: Actor, dpia_id: int, activity: str, asset: str, now: dt.datetime
) -> None:
    """Link the processing demo's activity and the assets demo's asset the DPIA assesses."""
    record_links.link_record(session, officer, record_links.ACTIVITY, dpia_id, activity, now)
    record_links.link_record(session, officer, record_links.ASSET, dpia_id, asset, now)
