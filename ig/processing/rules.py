"""Pure rules for the record of processing activities (UK GDPR Art. 30)."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from ig.processing.policy import ProcessingPolicy


class Role(enum.StrEnum):
    """Art. 30(1) records what the council controls; Art. 30(2) what it processes for others."""

    CONTROLLER = "controller"
    PROCESSOR = "processor"


class LawfulBasis(enum.StrEnum):
    """UK GDPR Art. 6(1)(a) to (f)."""

    CONSENT = "consent"
    CONTRACT = "contract"
    LEGAL_OBLIGATION = "legal_obligation"
    VITAL_INTERESTS = "vital_interests"
    PUBLIC_TASK = "public_task"
    LEGITIMATE_INTERESTS = "legitimate_interests"


class Safeguard(enum.StrEnum):
    """How a transfer outside the UK is made lawful (UK GDPR Arts. 45 and 46)."""

    NONE = "none"
    ADEQUACY = "adequacy"
    IDTA = "idta"
    ADDENDUM = "addendum"
    OTHER = "other"


ROLE_LABELS = {Role.CONTROLLER: "Controller", Role.PROCESSOR: "Processor"}
BASIS_LABELS = {
    LawfulBasis.CONSENT: "Art. 6(1)(a) consent",
    LawfulBasis.CONTRACT: "Art. 6(1)(b) contract",
    LawfulBasis.LEGAL_OBLIGATION: "Art. 6(1)(c) legal obligation",
    LawfulBasis.VITAL_INTERESTS: "Art. 6(1)(d) vital interests",
    LawfulBasis.PUBLIC_TASK: "Art. 6(1)(e) public task",
    LawfulBasis.LEGITIMATE_INTERESTS: "Art. 6(1)(f) legitimate interests",
}
SAFEGUARD_LABELS = {
    Safeguard.NONE: "No transfer outside the UK",
    Safeguard.ADEQUACY: "UK adequacy regulations (Art. 45)",
    Safeguard.IDTA: "International data transfer agreement (IDTA)",
    Safeguard.ADDENDUM: "UK addendum to the EU standard contractual clauses",
    Safeguard.OTHER: "Other safeguard (described)",
}


@dataclass(frozen=True)
class Legal:
    """The legal facts of an activity that the rules check together."""

    role: Role
    lawful_basis: LawfulBasis
    has_special_category: bool
    art9_condition: str
    schedule_1_condition: str
    has_policy_document: bool
    relies_on_consent: bool
    controller_count: int
    safeguard: Safeguard
    transfer_detail: str


def legal_problem(policy: ProcessingPolicy, legal: Legal) -> tuple[str, str] | None:
    """The first (field, message) the law refuses in ``legal``, or None when it holds."""
    if legal.role is Role.PROCESSOR and legal.controller_count == 0:
        return "controllers", "Enter the controller the council processes this data for"
    condition = policy.art9_conditions.get(legal.art9_condition)
    if legal.art9_condition and condition is None:
        return "art9_condition", "Select an Art. 9 condition from the list"
    schedule = policy.schedule_1_conditions.get(legal.schedule_1_condition)
    if legal.schedule_1_condition and schedule is None:
        return "schedule_1_condition", "Select a Schedule 1 condition from the list"
    if legal.has_special_category and condition is None:
        return "art9_condition", "Select the Art. 9 condition for the special category data"
    if not legal.has_special_category and (condition or schedule):
        return "art9_condition", (
            "Select the special category data it processes, or remove the Art. 9 and "
            "Schedule 1 conditions"
        )
    if condition is not None and condition.needs_schedule_1 and schedule is None:
        return "schedule_1_condition", (
            f"{condition.label} needs a DPA 2018 Schedule 1 condition: select it"
        )
    if schedule is not None and schedule.needs_policy_document and not legal.has_policy_document:
        # DPA 2018 Sch. 1 Part 4: relying on this condition without an appropriate
        # policy document is unlawful, so the entry is refused rather than flagged.
        return "has_policy_document", (
            f"{schedule.label} needs an appropriate policy document (DPA 2018 Schedule 1 "
            "Part 4): put one in place before recording this activity"
        )
    uses_consent = legal.lawful_basis is LawfulBasis.CONSENT or (
        legal.art9_condition == "explicit_consent"
    )
    if uses_consent and not legal.relies_on_consent:
        return "relies_on_consent", "The lawful basis is consent: answer yes to relies on consent"
    if legal.safeguard is not Safeguard.NONE and not legal.transfer_detail.strip():
        return "transfer_detail", "Enter the countries the data goes to and the safeguard's detail"
    return None


# The rights people have over their data whatever the lawful basis (UK GDPR Arts. 13 to
# 16 and 18), then those the Art. 6 basis gives or takes away (the ICO's guidance on the
# lawful bases: no erasure where the law or a public task requires the processing, data
# portability only under consent or contract, the right to object only under public
# task or legitimate interests, and consent can always be withdrawn).
COMMON_RIGHTS = (
    "Be informed (Arts. 13 and 14)",
    "Access (Art. 15)",
    "Rectification (Art. 16)",
    "Restriction (Art. 18)",
)
ERASURE, PORTABILITY, OBJECT = "Erasure (Art. 17)", "Portability (Art. 20)", "Object (Art. 21)"
RIGHTS_BY_BASIS = {
    LawfulBasis.CONSENT: (ERASURE, PORTABILITY, "Withdraw consent (Art. 7(3))"),
    LawfulBasis.CONTRACT: (ERASURE, PORTABILITY),
    LawfulBasis.LEGAL_OBLIGATION: (),
    LawfulBasis.VITAL_INTERESTS: (ERASURE,),
    LawfulBasis.PUBLIC_TASK: (OBJECT,),
    LawfulBasis.LEGITIMATE_INTERESTS: (ERASURE, OBJECT),
}
AUTOMATED_DECISION_RIGHTS = "Not to be subject to a solely automated decision (Art. 22)"


def rights_available(basis: LawfulBasis, is_automated: bool) -> list[str]:
    """The UK GDPR rights people have over an activity's data, from its lawful basis."""
    rights = [*COMMON_RIGHTS, *RIGHTS_BY_BASIS[basis]]
    return [*rights, AUTOMATED_DECISION_RIGHTS] if is_automated else rights


def dpia_needed(screenings: Iterable[bool | None], has_special: bool, is_automated: bool) -> str:
    """Whether the activity needs a DPIA (UK GDPR Art. 35): the screening of a DPIA linked
    to it decides; without one, what the activity's own record says of the Art. 35(3)
    cases (automated decisions; special category data, which needs one at large scale)."""
    screened = set(screenings)
    if True in screened:
        return "Yes (screened)"
    if False in screened:
        return "No (screened)"
    reasons = [
        reason
        for reason, applies in (
            ("automated decision-making, Art. 35(3)(a)", is_automated),
            ("special category data, Art. 35(3)(b) if on a large scale", has_special),
        )
        if applies
    ]
    if reasons:
        return f"Likely, not yet screened: {'; '.join(reasons)}"
    return "Not indicated by the record, not screened"
