"""Pure rules: agreement state from its facts, the sharing answer, signing rights, PDF checks."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ig.auth.rules import Actor
from ig.errors import PermissionDenied, ValidationFailed
from ig.people.models import OrganisationKind


class AgreementState(enum.StrEnum):
    DRAFT = "draft"
    AWAITING_SIGNATURES = "awaiting_signatures"
    SIGNED_NOT_STARTED = "signed_not_started"
    ACTIVE = "active"
    REVIEW_DUE = "review_due"
    EXPIRED = "expired"
    TERMINATED = "terminated"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def colour(self) -> str:
        """The GOV.UK tag colour that shows this state."""
        return STATE_COLOURS[self]


STATE_LABELS = {
    AgreementState.DRAFT: "Draft",
    AgreementState.AWAITING_SIGNATURES: "Awaiting signatures",
    AgreementState.SIGNED_NOT_STARTED: "Signed, not yet started",
    AgreementState.ACTIVE: "Active",
    AgreementState.REVIEW_DUE: "Review due",
    AgreementState.EXPIRED: "Expired",
    AgreementState.TERMINATED: "Terminated",
}
STATE_COLOURS = {
    AgreementState.DRAFT: "grey",
    AgreementState.AWAITING_SIGNATURES: "yellow",
    AgreementState.SIGNED_NOT_STARTED: "blue",
    AgreementState.ACTIVE: "green",
    AgreementState.REVIEW_DUE: "orange",
    AgreementState.EXPIRED: "red",
    AgreementState.TERMINATED: "red",
}
# States in which sharing may go ahead under the agreement.
IN_FORCE = frozenset({AgreementState.ACTIVE, AgreementState.REVIEW_DUE})


@dataclass(frozen=True)
class AgreementFacts:
    """What the state is derived from; every field is recorded, none is the state itself."""

    party_count: int
    signed_count: int
    starts_on: dt.date
    review_on: dt.date
    ends_on: dt.date | None
    terminated_on: dt.date | None


def agreement_state(facts: AgreementFacts, today: dt.date, notice_days: int) -> AgreementState:
    """The state of an agreement on ``today``; the SQL twin is register.state_sql.

    ``ends_on`` is the last day the agreement is in force. A terminated agreement stays
    terminated, and an ended one expired, whatever its signatures.
    """
    if facts.terminated_on is not None:
        return AgreementState.TERMINATED
    if facts.ends_on is not None and facts.ends_on < today:
        return AgreementState.EXPIRED
    if facts.signed_count == 0:
        return AgreementState.DRAFT
    if facts.signed_count < facts.party_count:
        return AgreementState.AWAITING_SIGNATURES
    if facts.starts_on > today:
        return AgreementState.SIGNED_NOT_STARTED
    if facts.review_on <= review_threshold(today, notice_days):
        return AgreementState.REVIEW_DUE
    return AgreementState.ACTIVE


class ShareAnswer(enum.StrEnum):
    """The answer to "may we share?"."""

    YES = "yes"  # an agreement in force covers it: follow its conditions
    CHECK_FOR_CARE = "check_for_care"  # no agreement, individual care: check, then record
    NO = "no"  # no agreement: only where the law requires it or the Guardian approves


# A police force provides no care: sharing with it is never individual care.
NOT_CARE_PROVIDERS = frozenset({OrganisationKind.POLICE})


def is_individual_care(
    purpose: str, partner_kind: OrganisationKind, care_purposes: frozenset[str]
) -> bool:
    """Whether sharing for ``purpose`` with a partner of this kind can be for the care
    of the person (a purpose the policy names under [direct_care], and a partner that
    provides care)."""
    return purpose in care_purposes and partner_kind not in NOT_CARE_PROVIDERS


def sharing_answer(is_covered: bool, individual_care: bool) -> ShareAnswer:
    """Yes under an agreement in force; otherwise, for individual care, not a flat no.

    Caldicott Principle 7: the duty to share information for individual care is as
    important as the duty to protect confidentiality, so a missing agreement there
    means checking that sharing is right and recording it, not refusing.
    """
    if is_covered:
        return ShareAnswer.YES
    return ShareAnswer.CHECK_FOR_CARE if individual_care else ShareAnswer.NO


def review_threshold(today: dt.date, notice_days: int) -> dt.date:
    """Reviews on or before this date are due (the policy's notice period from today)."""
    return today + dt.timedelta(days=notice_days)


def check_dates(starts_on: dt.date, review_on: dt.date, ends_on: dt.date | None) -> None:
    """An agreement starts, is reviewed while in force, and ends after it starts."""
    if ends_on is not None and ends_on < starts_on:
        raise ValidationFailed("ends_on", "The end date must be on or after the start date")
    if review_on < starts_on:
        raise ValidationFailed("review_on", "The review date must be on or after the start date")
    if ends_on is not None and review_on > ends_on:
        raise ValidationFailed("review_on", "The review date must be on or before the end date")


def content_digest(content: Mapping[str, Any]) -> str:
    """SHA-256 of the signed content in a canonical form: what each signature is bound to."""
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


class SigningAs(enum.StrEnum):
    SIGNATORY = "signatory"  # the party's named signatory, signing in person
    ON_BEHALF = "on_behalf"  # the IG officer recording a signature made elsewhere


def signing_capacity(actor: Actor, is_named_signatory: bool) -> SigningAs:
    """How ``actor`` may sign for a party, or PermissionDenied.

    A party's named signatory (a user linked to that organisation) signs in person;
    an IG officer records another party's signature only with evidence of it.
    """
    if actor.can("sharing.sign") and is_named_signatory:
        return SigningAs.SIGNATORY
    if actor.can("sharing.manage"):
        return SigningAs.ON_BEHALF
    raise PermissionDenied("Only this party's named signatory or an IG officer can sign for it")


PDF_HEADER = re.compile(rb"^%PDF-[12]\.\d")


def _size(count: int) -> str:
    mib = 1024 * 1024
    return f"{count // mib} MB" if count >= mib else f"{max(count // 1024, 1)} KB"


def check_pdf(data: bytes, max_bytes: int) -> None:
    """Refuse anything but a readable, passive, unencrypted PDF of at most ``max_bytes``.

    Checked by content, never by the file name: the header, the cross-reference
    pointer and end-of-file marker near the end, at least one object; then the file
    is parsed and refused if it holds active content a signed agreement has no need
    of (``ig.sharing.pdf.ACTIVE``), is encrypted, or cannot be read.
    """
    if not data:
        raise ValidationFailed("document", "The selected file is empty")
    if len(data) > max_bytes:
        raise ValidationFailed(
            "document", f"The selected file must be smaller than {_size(max_bytes)}"
        )
    tail = data[-2048:]
    if not PDF_HEADER.match(data) or b"%%EOF" not in tail or b"startxref" not in tail:
        raise ValidationFailed("document", "The selected file must be a PDF")
    if re.search(rb"\d+\s+\d+\s+obj\b", data) is None:
        raise ValidationFailed("document", "The selected file must be a PDF")
    # Imported here: pypdf takes 7 MB, which a worker needs only to check an upload.
    from ig.sharing.pdf import EncryptedPdf, UnreadablePdf, active_content

    try:
        found = active_content(data)
    except EncryptedPdf:
        raise ValidationFailed(
            "document", "The PDF is encrypted: remove its password and save it as a plain PDF"
        ) from None
    except UnreadablePdf:
        raise ValidationFailed(
            "document", "The selected file must be a PDF: this one is damaged and cannot be read"
        ) from None
    if found:
        raise ValidationFailed(
            "document",
            f"The PDF contains scripts or attachments ({', '.join(found)}): save it as a plain PDF",
        )
