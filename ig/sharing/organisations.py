"""Changing the partner register: organisations, CSV reference lists, named signatories."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.models import User
from ig.auth.rules import Actor
from ig.errors import EditConflict, ValidationFailed
from ig.people.models import Organisation, OrganisationKind
from ig.sharing.gss import check_council_codes, current_gss_list
from ig.sharing.models import OrganisationSignatory
from ig.sharing.partner_codes import check_gss_code, normalise_code
from ig.sharing.partners import find_organisation_by_code, find_self_organisation

MAX_ROWS = 20_000


@dataclass(frozen=True)
class OrganisationInput:
    """What a person enters for an organisation."""

    name: str
    kind: OrganisationKind
    code: str | None = None
    address: str = ""
    assurance_status: str = ""
    assurance_on: dt.date | None = None
    dpo_contact: str = ""
    is_self: bool = False


def _checked(session: Session, data: OrganisationInput, current: Organisation | None) -> str | None:
    name = data.name.strip()
    if not name or len(name) > 200:
        raise ValidationFailed("name", "Enter the organisation's name (200 characters at most)")
    code = normalise_code(data.kind, data.code)
    # A code kept unchanged is not re-checked: a council the ONS list has since dropped
    # (abolished in a reorganisation) stays editable, and its page says it is unlisted.
    kept = current is not None and (current.code, current.kind) == (code, data.kind)
    if code is not None and data.kind is OrganisationKind.LOCAL_AUTHORITY and not kept:
        check_gss_code(code, current_gss_list(session))
    if code is not None:
        holder = find_organisation_by_code(session, code)
        if holder is not None and holder is not current:
            raise ValidationFailed("code", f"{code} is already the code of {holder.name}")
    if data.is_self:
        own = find_self_organisation(session)
        if own is not None and own is not current:
            raise ValidationFailed("is_self", f"{own.name} is already marked as this organisation")
    return code


def _apply(organisation: Organisation, data: OrganisationInput, code: str | None) -> None:
    organisation.name = data.name.strip()
    organisation.kind = data.kind
    organisation.code = code
    organisation.address = data.address.strip()
    organisation.assurance_status = data.assurance_status.strip()
    organisation.assurance_on = data.assurance_on
    organisation.dpo_contact = data.dpo_contact.strip()
    organisation.is_self = data.is_self


def create_organisation(session: Session, actor: Actor, data: OrganisationInput) -> Organisation:
    """Add a partner; ValidationFailed for a bad or duplicate code."""
    code = _checked(session, data, None)
    organisation = Organisation(name="", kind=data.kind)
    _apply(organisation, data, code)
    session.add(organisation)
    session.flush()
    record(session, actor, "organisation.created", "organisation", organisation.id, {"code": code})
    return organisation


def update_organisation(
    session: Session,
    actor: Actor,
    organisation: Organisation,
    data: OrganisationInput,
    expected_version: int,
) -> Organisation:
    """Change a partner's details; EditConflict if someone saved it meanwhile."""
    if organisation.version != expected_version:
        raise EditConflict()
    code = _checked(session, data, organisation)
    before = {name: getattr(organisation, name) for name in vars(data)}
    _apply(organisation, data, code)
    changed = sorted(name for name in vars(data) if getattr(organisation, name) != before[name])
    session.flush()
    record(
        session, actor, "organisation.updated", "organisation", organisation.id, {"fields": changed}
    )
    return organisation


@dataclass(frozen=True)
class LoadResult:
    added: int
    updated: int
    unchanged: int


# ONS Open Geography Portal names-and-codes CSVs: LAD23CD/LAD23NM, CTYUA23CD/..., and
# for ICBs ICB23CDH (the ODS code) with ICB23NM.
ONS_COLUMNS = (
    (re.compile(r"^(LAD|CTY|CTYUA|UTLA|LTLA)\d{2}CD$"), "NM", OrganisationKind.LOCAL_AUTHORITY),
    (re.compile(r"^ICB\d{2}CDH$"), "NM", OrganisationKind.INTEGRATED_CARE_BOARD),
)


def parse_organisation_csv(text: str) -> list[tuple[str, str, OrganisationKind]]:
    """(code, name, kind) rows from an ONS names-and-codes CSV or ig's code,name,kind CSV.

    From an ONS local-authority list only English councils (codes starting E) are
    kept. Raises ValidationFailed("file", ...) naming the line at fault.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [cell.strip() for cell in next(reader, [])]
    code_at, name_at, kind = _columns(header)
    rows: list[tuple[str, str, OrganisationKind]] = []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationFailed("file", f"The file has more than {MAX_ROWS} rows")
        try:
            code, name = cells[code_at].strip().upper(), cells[name_at].strip()
            row_kind = kind or OrganisationKind(cells[2].strip())
        except (IndexError, ValueError) as error:
            raise ValidationFailed("file", f"Line {line}: the row is incomplete") from error
        if kind is OrganisationKind.LOCAL_AUTHORITY and not code.startswith("E"):
            continue
        try:
            rows.append((normalise_code(row_kind, code) or "", name, row_kind))
        except ValidationFailed as error:
            raise ValidationFailed("file", f"Line {line}: {error.message}") from error
    return rows


def _columns(header: list[str]) -> tuple[int, int, OrganisationKind | None]:
    upper = [cell.upper() for cell in header]
    for pattern, name_suffix, kind in ONS_COLUMNS:
        for index, cell in enumerate(upper):
            if pattern.match(cell):
                name_column = re.sub(r"CDH?$", name_suffix, cell)
                if name_column in upper:
                    return index, upper.index(name_column), kind
    if upper[:3] == ["CODE", "NAME", "KIND"]:
        return 0, 1, None
    raise ValidationFailed(
        "file",
        "The file is not an ONS names-and-codes CSV (like LAD23CD,LAD23NM) "
        "or a CSV with the columns code,name,kind",
    )


def load_organisations_csv(session: Session, actor: Actor, text: str, source: str) -> LoadResult:
    """Add or rename organisations from a CSV, matched by code; idempotent.

    An existing organisation of another kind with the same code is refused rather
    than changed. Writes one audit entry when anything changed.
    """
    rows = parse_organisation_csv(text)
    check_council_codes(session, rows)
    existing = {
        org.code: org
        for org in session.scalars(
            select(Organisation).where(Organisation.code.in_([code for code, _n, _k in rows]))
        )
    }
    added = updated = 0
    for code, name, kind in rows:
        organisation = existing.get(code)
        if organisation is None:
            session.add(Organisation(name=name, kind=kind, code=code))
            added += 1
        elif organisation.kind != kind:
            raise ValidationFailed(
                "file", f"{code} is already {organisation.name}, a {organisation.kind.value}"
            )
        elif organisation.name != name:
            organisation.name = name
            updated += 1
    session.flush()
    if added or updated:
        record(
            session,
            actor,
            "organisation.list_loaded",
            "organisation",
            None,
            {"source": source[:200], "added": added, "updated": updated},
        )
    return LoadResult(added, updated, len(rows) - added - updated)


def is_named_signatory(session: Session, user_id: int | None, organisation_id: int) -> bool:
    """Whether the user is named as a signatory of the organisation."""
    if user_id is None:
        return False
    return (
        session.scalar(
            select(OrganisationSignatory.id).where(
                OrganisationSignatory.user_id == user_id,
                OrganisationSignatory.organisation_id == organisation_id,
            )
        )
        is not None
    )


def list_signatories(session: Session, organisation_id: int) -> list[User]:
    """The users named as the organisation's signatories, by name."""
    return list(
        session.scalars(
            select(User)
            .join(OrganisationSignatory, OrganisationSignatory.user_id == User.id)
            .where(OrganisationSignatory.organisation_id == organisation_id)
            .order_by(User.name)
        )
    )


def add_signatory(session: Session, actor: Actor, organisation: Organisation, email: str) -> User:
    """Name the user with this e-mail address as a signatory of the organisation."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active:
        raise ValidationFailed("email", "There is no active user with that e-mail address")
    if is_named_signatory(session, user.id, organisation.id):
        raise ValidationFailed("email", f"{user.name} is already a signatory")
    session.add(OrganisationSignatory(organisation_id=organisation.id, user_id=user.id))
    session.flush()
    record(
        session,
        actor,
        "organisation.signatory_added",
        "organisation",
        organisation.id,
        {"user_id": user.id},
    )
    return user


def signatory_organisation_ids(session: Session, user_id: int | None) -> frozenset[int]:
    """The organisations the user is named as a signatory of."""
    if user_id is None:
        return frozenset()
    return frozenset(
        session.scalars(
            select(OrganisationSignatory.organisation_id).where(
                OrganisationSignatory.user_id == user_id
            )
        )
    )
