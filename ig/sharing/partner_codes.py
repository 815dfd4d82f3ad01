"""Pure rules for partner codes: ODS and ONS GSS formats, council codes against the ONS list."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ig.errors import ValidationFailed
from ig.people.models import OrganisationKind

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
