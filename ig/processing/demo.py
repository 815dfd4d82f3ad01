"""Demo processing activities for Eastmere: social care, safeguarding, the AI trial."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.processing.policy import ProcessingPolicy
from ig.processing.rules import LawfulBasis, Role, Safeguard
from ig.processing.service import ActivityInput, create_activity

OFFICER = "ig.officer@eastmere.example"
MANAGER = "manager@eastmere.example"
SECURITY = "Role-based access, audit of record views, encryption at rest and in transit"


ACTIVITIES: list[dict[str, Any]] = [
    {
        "name": "Adult social care case management",
        "role": Role.CONTROLLER,
        "purpose": "Assessing needs and arranging care and support (Care Act 2014)",
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "art9_condition": "health_social_care",
        "schedule_1_condition": "health_social_care",
        "has_policy_document": False,
        "recipients": "Care providers, NHS partners, advocates",
        "safeguard": Safeguard.NONE,
        "transfer_detail": "",
        "retention": "8 years after the case closes",
        "relies_on_consent": False,
        "people_categories": ("adults_supported", "carers", "professionals"),
        "data_categories": (
            "identity",
            "contact",
            "family",
            "financial",
            "care_records",
            "health",
        ),
        "assets": ("Adult social care case records",),
    },
    {
        "name": "Children's safeguarding",
        "role": Role.CONTROLLER,
        "purpose": "Protecting children at risk of harm (Children Act 1989 s.47)",
        "lawful_basis": LawfulBasis.LEGAL_OBLIGATION,
        "art9_condition": "substantial_public_interest",
        "schedule_1_condition": "safeguarding",
        "has_policy_document": True,
        "recipients": "Police, schools, health visitors, the family court",
        "safeguard": Safeguard.NONE,
        "transfer_detail": "",
        "retention": "Until the child's 25th birthday",
        "relies_on_consent": False,
        "people_categories": ("children", "parents", "professionals"),
        "data_categories": ("identity", "family", "education", "criminal_offence", "health"),
        "controllers": ("E23000001",),
        "assets": ("Children's services records",),
    },
    {
        "name": "AI transcription trial for social work visits",
        "role": Role.CONTROLLER,
        "purpose": "Trial of recording and transcribing visits, with each person's consent",
        "lawful_basis": LawfulBasis.CONSENT,
        "art9_condition": "explicit_consent",
        "schedule_1_condition": "",
        "has_policy_document": False,
        "recipients": "The transcription supplier (processor)",
        "safeguard": Safeguard.IDTA,
        "transfer_detail": "United States: the supplier's support team, under an IDTA",
        "retention": "Recordings deleted after 30 days; transcripts as the case record",
        "relies_on_consent": True,
        "people_categories": ("adults_supported", "carers"),
        "data_categories": ("identity", "audio", "care_records", "health"),
        "assets": ("Adult social care case records",),
    },
    {
        "name": "Hospital discharge tracking for the trust",
        "role": Role.PROCESSOR,
        "purpose": "Keeping the discharge-to-assess tracker on the trust's instructions",
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "art9_condition": "health_social_care",
        "schedule_1_condition": "health_social_care",
        "has_policy_document": False,
        "recipients": "The trust's discharge team",
        "safeguard": Safeguard.NONE,
        "transfer_detail": "",
        "retention": "As the trust instructs: 12 months after discharge",
        "relies_on_consent": False,
        "people_categories": ("adults_supported",),
        "data_categories": ("identity", "care_records", "health"),
        "controllers": ("QMJ",),
        "assets": ("Hospital discharge tracker",),
    },
]


def load_processing_demo(
    session: Session,
    policy: ProcessingPolicy,
    actors: Mapping[str, Actor],
    user_ids: Mapping[str, int],
    now: dt.datetime,
) -> None:
    """Three activities the council controls (one relying on consent) and one it processes."""
    for fields in ACTIVITIES:
        data = ActivityInput(
            owner_user_id=user_ids[MANAGER],
            security_measures=SECURITY,
            is_automated=False,
            **fields,
        )
        create_activity(session, actors[OFFICER], policy, data, now - dt.timedelta(days=30))
