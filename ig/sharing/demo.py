"""Demo agreements between the fictional borough of Eastmere and real London partners."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.db import utcnow
from ig.people.models import OrganisationKind
from ig.sharing import agreements, lifecycle, organisations, service
from ig.sharing.models import Agreement, AgreementParty, PartyRole
from ig.sharing.policy import SharingPolicy

# (reference, title, partner codes, categories, purposes, start offset, review offset,
#  end offset, how many parties sign (None: all), terminated)
DEMO = [
    (
        "DSA-NCL-001",
        "Discharge to assess with North Central London",
        ("E09000007", "E09000019", "QMJ"),
        ("identity", "care_records", "health"),
        ("hospital_discharge", "direct_care"),
        -300,
        200,
        700,
        None,
        False,
    ),
    (
        "DSA-MASH-002",
        "Multi-agency safeguarding hub",
        ("E09000012", "E09000030", "E23000001"),
        ("identity", "safeguarding", "criminal_offence"),
        ("safeguarding", "crime_prevention"),
        -700,
        30,
        400,
        None,
        False,
    ),
    (
        "DSA-BAR-003",
        "Ordinary residence and placements with Barnet",
        ("E09000003",),
        ("identity", "care_records"),
        ("ordinary_residence",),
        10,
        300,
        1000,
        1,
        False,
    ),
    (
        "DSA-HGY-004",
        "Youth justice information with Haringey",
        ("E09000014",),
        ("identity", "education"),
        ("crime_prevention",),
        30,
        365,
        1100,
        0,
        False,
    ),
    (
        "DSA-TF-005",
        "Supporting families 2022 to 2025",
        ("E09000025",),
        ("identity", "housing", "finance"),
        ("direct_care",),
        -1200,
        -300,
        -60,
        None,
        False,
    ),
    (
        "DSA-CRO-006",
        "Commissioning analytics with Croydon",
        ("E09000008",),
        ("care_records",),
        ("commissioning",),
        -400,
        100,
        500,
        None,
        True,
    ),
]

# Eastmere signs through its SIRO (a demo user); each partner through its own DPO.
OWN_SIGNATORY = ("Margaret Lowe", "Senior Information Risk Owner")
PARTNER_DPOS = ("Jordan Ellis", "Farah Qureshi", "Owen Hughes", "Grace Mensah")


def load_sharing_demo(session: Session, actor: Actor, policy: SharingPolicy) -> None:
    """Eastmere as this organisation, the Met Police, and agreements in every state.

    ``actor`` must be allowed to manage agreements (the demo IG officer).
    """
    service.load_reference_organisations(session, actor)
    own = organisations.create_organisation(
        session,
        actor,
        organisations.OrganisationInput(
            name="Eastmere Borough Council",
            kind=OrganisationKind.OTHER,
            dpo_contact="dpo@eastmere.example",
            assurance_status="DSPT 2025-26 Standards Met",
            is_self=True,
        ),
    )
    if service.find_organisation_by_code(session, "E23000001") is None:
        organisations.create_organisation(
            session,
            actor,
            organisations.OrganisationInput(
                name="Metropolitan Police Service", kind=OrganisationKind.POLICE, code="E23000001"
            ),
        )
    today = utcnow().date()
    for row in DEMO:
        _agreement(session, actor, policy, own.id, today, *row)


def _agreement(
    session: Session,
    actor: Actor,
    policy: SharingPolicy,
    own_id: int,
    today: dt.date,
    reference: str,
    title: str,
    partners: tuple[str, ...],
    categories: tuple[str, ...],
    purposes: tuple[str, ...],
    start: int,
    review: int,
    end: int,
    signers: int | None,
    terminated: bool,
) -> None:
    day = dt.timedelta(days=1)
    agreement = agreements.create_agreement(
        session,
        actor,
        policy,
        _agreement_input(
            policy,
            own_id,
            reference,
            title,
            categories,
            purposes,
            (today + start * day, today + review * day, today + end * day),
        ),
    )
    _add_partners(session, actor, agreement, partners)
    signing_day = min(today, agreement.starts_on) - day
    parties = agreement.parties if signers is None else agreement.parties[:signers]
    _sign(session, actor, agreement, parties, own_id, signing_day)
    if terminated:
        lifecycle.terminate_agreement(
            session, actor, agreement, today - 5 * day, "Service decommissioned", today
        )


def _agreement_input(
    policy: SharingPolicy,
    own_id: int,
    reference: str,
    title: str,
    categories: tuple[str, ...],
    purposes: tuple[str, ...],
    dates: tuple[dt.date, dt.date, dt.date],
) -> agreements.AgreementInput:
    """What Eastmere drafts: the same terms for every demo agreement, but for its scope."""
    starts_on, review_on, ends_on = dates
    special = sorted(set(categories) & policy.special_categories)
    return agreements.AgreementInput(
        reference=reference,
        title=title,
        purpose=f"{title}: sharing so that people get joined-up care.",
        owner_id=own_id,
        lawful_basis="art6_1e",
        categories=categories,
        purposes=purposes,
        starts_on=starts_on,
        review_on=review_on,
        ends_on=ends_on,
        special_condition="art9_2h" if special else None,
        is_special_category=bool(special),
        statutory_gateway="care_act_2014",
        transfer_method="Secure e-mail between gcsx/nhs.net addresses",
        transfer_security="TLS 1.2 or later; named recipients only",
        retention="Six years after the case closes",
        rights_requests="Each controller handles requests for the records it holds",
        breach_procedure="Tell the lead organisation's DPO within 24 hours",
        conditions="Share the minimum needed; record each disclosure on the case file.",
    )


def _add_partners(
    session: Session, actor: Actor, agreement: Agreement, partners: tuple[str, ...]
) -> None:
    for code in partners:
        partner = service.find_organisation_by_code(session, code)
        if partner is None:
            raise LookupError(f"demo partner {code} is missing from the reference lists")
        agreements.add_party(
            session, actor, agreement, partner.id, PartyRole.JOINT_CONTROLLER, agreement.starts_on
        )


def _sign(
    session: Session,
    actor: Actor,
    agreement: Agreement,
    parties: list[AgreementParty],
    own_id: int,
    signing_day: dt.date,
) -> None:
    """Eastmere signs through its SIRO, each partner through a named DPO."""
    for number, party in enumerate(parties):
        name, title = (
            OWN_SIGNATORY
            if party.organisation_id == own_id
            else (PARTNER_DPOS[number % len(PARTNER_DPOS)], "Data Protection Officer")
        )
        lifecycle.sign_agreement(
            session,
            actor,
            agreement,
            party.id,
            lifecycle.SignatureInput(name, title, signing_day, "Signed copy on file (demo)"),
            signing_day,
            utcnow(),
        )
