"""Pure rules: agreement state from its facts, partner codes, signing rights, PDF checks."""

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
from ig.sharing.pdf import EncryptedPdf, UnreadablePdf, active_content


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


# ONS GSS codes of councils: E06 unitary, E07 district, E08 metropolitan district,
# E09 London borough, E10 county; W06 Welsh, S12 Scottish, N09 Northern Irish councils.
GSS_COUNCIL = re.compile(r"^(E0[6-9]|E10|W06|S12|N09)\d{6}$")
# Police force areas: E23 (England), W15 (Wales).
GSS_POLICE = re.compile(r"^(E23|W15)\d{6}$")
# NHS ODS codes: trusts R or T and two characters (RJ1, TAF); ICBs Q and two (QMJ);
# GP practices a letter and five digits (F84001).
ODS_TRUST = re.compile(r"^[RT][A-Z0-9]{2}$")
ODS_ICB = re.compile(r"^Q[A-Z0-9]{2}$")
ODS_GP = re.compile(r"^[A-Z]\d{5}$")
OTHER_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]{0,19}$")

CODE_RULES: dict[OrganisationKind, tuple[re.Pattern[str], bool, str]] = {
    OrganisationKind.LOCAL_AUTHORITY: (
        GSS_COUNCIL,
        True,
        "a council's ONS GSS code is 9 characters, like E09000001 "
        "(E06, E07, E08, E09, E10, W06, S12 or N09 and six digits)",
    ),
    OrganisationKind.NHS_TRUST: (
        ODS_TRUST,
        True,
        "an NHS trust's ODS code is 3 characters, R or T and two letters or digits, like RJ1",
    ),
    OrganisationKind.INTEGRATED_CARE_BOARD: (
        ODS_ICB,
        True,
        "an integrated care board's ODS code is 3 characters starting with Q, like QMJ",
    ),
    OrganisationKind.GP_PRACTICE: (
        ODS_GP,
        True,
        "a GP practice's ODS code is a letter and five digits, like F84001",
    ),
    OrganisationKind.POLICE: (
        GSS_POLICE,
        False,
        "a police force's ONS GSS code is 9 characters, like E23000001",
    ),
}


# English councils by the first three characters of their ONS GSS code, as ONS names the
# kinds; ig's one organisation kind "local authority" holds all five.
GSS_COUNCIL_KINDS = {
    "E06": "unitary authority",
    "E07": "non-metropolitan district",
    "E08": "metropolitan district",
    "E09": "London borough",
    "E10": "county",
}


@dataclass(frozen=True)
class GssSource:
    """Where one kind's codes come from: the ONS release and the date it names."""

    source: str
    dated_on: dt.date


@dataclass(frozen=True)
class GssList:
    """The ONS council codes ig knows (code -> ONS name) and, per kind, their source."""

    names: Mapping[str, str]
    sources: Mapping[str, GssSource]  # GSS prefix ("E09") -> source


def check_gss_code(code: str, known: GssList) -> str | None:
    """The ONS name of a council's well-formed ``code``, or None when the list does not
    cover its kind (Welsh, Scottish and Northern Irish councils are checked by format).

    Raises ValidationFailed("code", ...) naming the kind when the list covers the kind
    but has no such code: a well-formed code can still name no council.
    """
    prefix = code[:3]
    source = known.sources.get(prefix)
    if source is None:
        return None
    name = known.names.get(code)
    if name is None:
        kind = GSS_COUNCIL_KINDS.get(prefix, "council")
        raise ValidationFailed(
            "code",
            f"{code}: no {kind} has this code in the ONS list dated "
            f"{source.dated_on:%B %Y}. Check the code, or load a newer ONS list",
        )
    return name


def _name_words(name: str) -> set[str]:
    words = re.sub(r"[^a-z0-9 ]", " ", name.lower().replace("&", " and ")).split()
    return set(words) - {"the", "of", "city", "county"}


def names_same_council(entered: str, ons_name: str) -> bool:
    """Whether the name entered plainly names the council ONS lists: every word of the
    ONS name (less "City of" and the like) is in it, so "London Borough of Harrow"
    names "Harrow" and "Bristol City Council" names "Bristol, City of"."""
    return _name_words(ons_name) <= _name_words(entered)


def normalise_code(kind: OrganisationKind, code: str | None) -> str | None:
    """The code in its canonical form, checked against the format for ``kind``.

    Raises ValidationFailed("code", ...) saying what the code should look like.
    """
    value = (code or "").strip().upper()
    pattern, required, description = CODE_RULES.get(
        kind, (OTHER_CODE, False, "a code is up to 20 letters, digits, spaces, dots or dashes")
    )
    if not value:
        if required:
            raise ValidationFailed("code", f"Enter the code: {description}")
        return None
    if not pattern.match(value):
        raise ValidationFailed("code", f"{value} is not a valid code: {description}")
    return value


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
