"""The ONS list of council codes: the shipped release, newer ones loaded into the database.

The shipped files in ig/sharing/reference/ are the list until ``ig sharing load-gss``
loads a newer release; from then on that release's codes replace the shipped ones for
each kind of council it holds, for every worker (they read the database).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.errors import NotFound, ValidationFailed
from ig.people.models import Organisation, OrganisationKind
from ig.settings import PROJECT_ROOT
from ig.sharing.gss_file import GssFile, parse_gss_csv
from ig.sharing.models import GssCode, GssRelease
from ig.sharing.partner_codes import (
    GSS_COUNCIL_KINDS,
    GssList,
    GssSource,
    check_gss_code,
    names_same_council,
    normalise_code,
)

REFERENCE_DIR = PROJECT_ROOT / "ig" / "sharing" / "reference"
SHIPPED_FILES = ("ons_local_authority_districts_england.csv", "ons_counties_england.csv")


@functools.cache
def shipped_gss_list() -> GssList:
    """The list shipped in ig/sharing/reference/, read once."""
    names: dict[str, str] = {}
    sources: dict[str, GssSource] = {}
    for file_name in SHIPPED_FILES:
        found = parse_gss_csv((REFERENCE_DIR / file_name).read_text(encoding="utf-8"))
        if found.source is None or found.dated_on is None:
            raise RuntimeError(f"{file_name} must name its source and date")
        names.update(found.names)
        for prefix in found.prefixes:
            sources[prefix] = GssSource(found.source, found.dated_on)
    return GssList(names, sources)


def current_gss_list(session: Session) -> GssList:
    """The list in use: the shipped one, with each kind a loaded release holds replaced."""
    shipped = shipped_gss_list()
    rows = session.execute(
        select(GssCode.code, GssCode.name, GssRelease.source, GssRelease.dated_on).join(
            GssRelease, GssRelease.id == GssCode.release_id
        )
    ).all()
    if not rows:
        return shipped
    loaded = {row.code[:3] for row in rows}
    names = {code: name for code, name in shipped.names.items() if code[:3] not in loaded}
    sources = {prefix: s for prefix, s in shipped.sources.items() if prefix not in loaded}
    for row in rows:
        names[row.code] = row.name
        sources[row.code[:3]] = GssSource(row.source, row.dated_on)
    return GssList(names, sources)


@dataclass(frozen=True)
class GssLoadResult:
    release_id: int
    kinds: list[str]
    added: int
    removed: int
    renamed: int
    unlisted: list[Organisation]  # councils in the register whose code the release lacks


def load_gss_release(
    session: Session,
    actor: Actor,
    text: str,
    now: dt.datetime,
    *,
    source: str | None = None,
    dated_on: dt.date | None = None,
) -> GssLoadResult:
    """Make a newer ONS release the list for each kind of council it holds.

    ``source`` and ``dated_on`` default to the file's own "# source:" and "# dated:"
    lines. Raises ValidationFailed (and changes nothing) for a bad file, a missing
    source or date, or a release older than the one in use for any of its kinds.
    """
    found = parse_gss_csv(text)
    source, dated_on = _named_release(found, source, dated_on)
    before = current_gss_list(session)
    _refuse_older(before, found, dated_on)
    old = {c: n for c, n in before.names.items() if c[:3] in found.prefixes}
    release = _replace_codes(session, found, source, dated_on, now)
    result = GssLoadResult(
        release.id,
        [GSS_COUNCIL_KINDS[p] for p in found.prefixes],
        added=len(found.names.keys() - old.keys()),
        removed=len(old.keys() - found.names.keys()),
        renamed=sum(1 for c, n in found.names.items() if c in old and old[c] != n),
        unlisted=_unlisted(session, found),
    )
    record(
        session,
        actor,
        "gss.list_loaded",
        "gss_release",
        release.id,
        {
            "source": source[:200],
            "dated_on": dated_on.isoformat(),
            "prefixes": found.prefixes,
            "codes": len(found.names),
            "added": result.added,
            "removed": result.removed,
            "renamed": result.renamed,
        },
    )
    return result


def _named_release(
    found: GssFile, source: str | None, dated_on: dt.date | None
) -> tuple[str, dt.date]:
    """The release's source and date, as given or as the file names them."""
    source = (source or found.source or "").strip()
    dated_on = dated_on or found.dated_on
    if not source or len(source) > 300:
        raise ValidationFailed("source", "Name the release's source (300 characters at most)")
    if dated_on is None:
        raise ValidationFailed("dated_on", "Give the date the release names, like 2025-04-01")
    return source, dated_on


def _refuse_older(before: GssList, found: GssFile, dated_on: dt.date) -> None:
    """A release may not replace a later one in use for any kind of council it holds."""
    for prefix in found.prefixes:
        current = before.sources.get(prefix)
        if current is not None and current.dated_on > dated_on:
            raise ValidationFailed(
                "dated_on",
                f"The list in use for {GSS_COUNCIL_KINDS[prefix]} codes is dated "
                f"{current.dated_on:%-d %B %Y}, later than this one ({dated_on:%-d %B %Y})",
            )


def _replace_codes(
    session: Session, found: GssFile, source: str, dated_on: dt.date, now: dt.datetime
) -> GssRelease:
    """The release, its codes in place of those of every kind it holds."""
    release = GssRelease(
        source=source,
        dated_on=dated_on,
        prefixes=" ".join(found.prefixes),
        row_count=len(found.names),
        loaded_at=now,
    )
    session.add(release)
    session.flush()
    session.execute(
        delete(GssCode).where(or_(*(GssCode.code.startswith(p) for p in found.prefixes)))
    )
    session.add_all(GssCode(code=c, name=n, release_id=release.id) for c, n in found.names.items())
    session.flush()
    return release


def _unlisted(session: Session, found: GssFile) -> list[Organisation]:
    councils = session.scalars(
        select(Organisation)
        .where(
            Organisation.kind == OrganisationKind.LOCAL_AUTHORITY,
            or_(*(Organisation.code.startswith(p) for p in found.prefixes)),
        )
        .order_by(Organisation.code)
    )
    return [org for org in councils if org.code not in found.names]


def check_council_codes(session: Session, rows: list[tuple[str, str, OrganisationKind]]) -> None:
    """Refuse rows of an organisation list whose council code the ONS list lacks.

    Raises ValidationFailed("file", ...) naming the council.
    """
    councils = [
        (code, name) for code, name, kind in rows if kind is OrganisationKind.LOCAL_AUTHORITY
    ]
    if not councils:
        return
    known = current_gss_list(session)
    for code, name in councils:
        try:
            check_gss_code(code, known)
        except ValidationFailed as error:
            raise ValidationFailed("file", f"{name[:80]}: {error.message}") from error


@dataclass(frozen=True)
class CouncilListing:
    """What the ONS list in use says of a council's code, to show beside it."""

    kind: str  # "London borough"
    ons_name: str | None  # None: the code is not in the list
    source: str
    dated_on: dt.date
    names_match: bool


def find_council_listing(session: Session, organisation: Organisation) -> CouncilListing | None:
    """The ONS listing of a council's code; None for other organisations and for
    councils of a kind the list does not cover."""
    code = organisation.code
    if organisation.kind is not OrganisationKind.LOCAL_AUTHORITY or not code:
        return None
    known = current_gss_list(session)
    source = known.sources.get(code[:3])
    if source is None:
        return None
    ons_name = known.names.get(code)
    return CouncilListing(
        kind=GSS_COUNCIL_KINDS[code[:3]],
        ons_name=ons_name,
        source=source.source,
        dated_on=source.dated_on,
        names_match=ons_name is not None and names_same_council(organisation.name, ons_name),
    )


@dataclass(frozen=True)
class CouncilCode:
    """A council code as the ONS list in use lists it."""

    code: str
    name: str
    kind: str
    source: str
    dated_on: dt.date


def get_council_code(session: Session, code: str) -> CouncilCode:
    """The ONS listing of a council's GSS code (any case).

    Raises ValidationFailed("code", ...) for a malformed code, NotFound for a code no
    council of its kind has, or one of a kind the list does not cover.
    """
    value = normalise_code(OrganisationKind.LOCAL_AUTHORITY, code) or ""
    known = current_gss_list(session)
    source = known.sources.get(value[:3])
    if source is None:
        raise NotFound(
            f"{value}: ig's ONS list covers English councils only; Welsh, Scottish and "
            "Northern Irish council codes are checked by their format alone"
        )
    try:
        name = check_gss_code(value, known) or ""
    except ValidationFailed as error:
        raise NotFound(error.message) from error
    return CouncilCode(value, name, GSS_COUNCIL_KINDS[value[:3]], source.source, source.dated_on)
