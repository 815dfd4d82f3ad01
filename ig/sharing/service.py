"""The sharing feature's reads that other features use: partners, agreements, the check.

Stable for colleagues: list_organisations, get_organisation, find_agreement,
check_sharing and list_agreement_deadlines keep their signatures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from ig.audit.service import Page
from ig.auth.rules import SYSTEM, Actor
from ig.errors import NotFound, ValidationFailed
from ig.people.models import Organisation, OrganisationKind
from ig.settings import PROJECT_ROOT
from ig.sharing.check import (
    CoveringAgreement,
    SharingCheck,
    check_category_and_purpose,
    covering_parties,
)
from ig.sharing.models import Agreement, PartyRole
from ig.sharing.partners import find_organisation_by_code, find_self_organisation
from ig.sharing.policy import SharingPolicy
from ig.sharing.rules import (
    IN_FORCE,
    AgreementFacts,
    AgreementState,
    agreement_state,
    is_individual_care,
)
from ig.sharing.states import not_signed_up_on

REFERENCE_DIR = PROJECT_ROOT / "ig" / "sharing" / "reference"
REFERENCE_FILES = ("london_local_authorities.csv", "london_integrated_care_boards.csv")


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_organisations(
    session: Session,
    search: str | None = None,
    kind: OrganisationKind | None = None,
    page: int = 1,
    per_page: int = 50,
    unsigned_on: dt.date | None = None,
    notice_days: int = 0,
) -> Page:
    """Organisations by name; ``search`` matches the name (contains) or the code (exact);
    ``unsigned_on``: only partners party to no agreement in force on that day (the IG
    report's "partners not signed up"; ``notice_days`` as policy.review_notice_days)."""
    query = select(Organisation)
    if unsigned_on is not None:
        query = query.where(*not_signed_up_on(unsigned_on, notice_days))
    if search:
        text = search.strip()
        query = query.where(
            or_(
                Organisation.name.ilike(f"%{_escape_like(text)}%", escape="\\"),
                Organisation.code == text.upper(),
            )
        )
    if kind is not None:
        query = query.where(Organisation.kind == kind)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Organisation.name, Organisation.id)
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    return Page(list(rows), max(page, 1), per_page, total)


def get_organisation(session: Session, organisation_id: int) -> Organisation:
    """The organisation, or NotFound."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("There is no such organisation")
    return organisation


def find_agreement(session: Session, reference: str) -> Agreement | None:
    """The latest version of the agreement with this reference, or None."""
    return session.scalar(
        select(Agreement)
        .where(Agreement.reference == reference.strip().upper())
        .order_by(Agreement.revision.desc())
        .limit(1)
    )


def find_agreement_ids(session: Session, references: Sequence[str]) -> dict[str, int]:
    """The id of each agreement's latest version, by reference (exactly as stored), for
    those of ``references`` that are agreements, in one query."""
    if not references:
        return {}
    rows = session.execute(
        select(Agreement.reference, Agreement.id)
        .where(Agreement.reference.in_(references))
        .order_by(Agreement.revision)
    )
    return dict(rows.all())  # in revision order, so the latest is kept


def get_agreement(session: Session, agreement_id: int) -> Agreement:
    """The agreement with its parties, scope and documents loaded, or NotFound."""
    agreement = session.scalar(
        select(Agreement)
        .where(Agreement.id == agreement_id)
        .options(
            selectinload(Agreement.parties),
            selectinload(Agreement.category_rows),
            selectinload(Agreement.purpose_rows),
            selectinload(Agreement.documents),
        )
    )
    if agreement is None:
        raise NotFound("There is no such agreement")
    return agreement


def state_of(agreement: Agreement, today: dt.date, notice_days: int) -> AgreementState:
    """The agreement's state on ``today`` from its recorded facts."""
    return agreement_state(
        AgreementFacts(
            party_count=agreement.party_count,
            signed_count=agreement.signed_count,
            starts_on=agreement.starts_on,
            review_on=agreement.review_on,
            ends_on=agreement.ends_on,
            terminated_on=agreement.terminated_on,
        ),
        today,
        notice_days,
    )


def check_sharing(
    session: Session,
    organisation_code: str,
    category: str,
    purpose: str,
    today: dt.date,
    *,
    policy: SharingPolicy | None = None,
    notice_days: int = 0,
) -> SharingCheck:
    """Which agreements cover sharing ``category`` data for ``purpose`` with the partner.

    An agreement covers it when the partner (and this organisation, when one is
    marked) are parties and it lists the category and the purpose; only agreements in
    force (all parties signed, started, not ended or terminated) let sharing go ahead.
    Those that would cover it but are not in force are returned to explain a "no".
    With the policy, a purpose it names under [direct_care] makes the answer for a
    care-giving partner "check, then record" rather than "no" (Caldicott Principle 7).
    Raises NotFound for an unknown code, ValidationFailed for unknown keys.
    """
    if policy is not None:
        check_category_and_purpose(policy, category, purpose)
    organisation = find_organisation_by_code(session, organisation_code)
    if organisation is None:
        raise NotFound(f"No organisation has the code {organisation_code.strip().upper()}")
    return check_sharing_with(
        session,
        organisation,
        category,
        purpose,
        today,
        notice_days=notice_days,
        care_purposes=policy.direct_care_purposes if policy is not None else frozenset(),
    )


def check_sharing_with(
    session: Session,
    organisation: Organisation,
    category: str,
    purpose: str,
    today: dt.date,
    *,
    notice_days: int = 0,
    care_purposes: frozenset[str] = frozenset(),
) -> SharingCheck:
    """check_sharing for an organisation already found (one without a code, say);
    ``care_purposes`` are the policy's [direct_care] purposes."""
    own = find_self_organisation(session)
    found = session.execute(covering_parties(organisation, category, purpose, own)).all()
    roles: dict[int, PartyRole] = {row.agreement_id: row.role for row in found}
    agreements = session.scalars(
        select(Agreement)
        .where(Agreement.id.in_(list(roles)))
        .order_by(Agreement.ends_on.desc().nulls_first(), Agreement.id.desc())
        .limit(50)
    )
    result = SharingCheck(
        organisation,
        category,
        purpose,
        is_individual_care=is_individual_care(purpose, organisation.kind, care_purposes),
    )
    for agreement in agreements:
        state = state_of(agreement, today, notice_days)
        target = result.covering if state in IN_FORCE else result.not_in_force
        target.append(CoveringAgreement(agreement, state, roles[agreement.id]))
    return result


@dataclass(frozen=True)
class Deadline:
    """A review or an end date of an agreement, for the calendar and for reminders."""

    agreement_id: int
    reference: str
    revision: int
    title: str
    kind: str  # "review" or "end"
    due_on: dt.date


def list_agreement_deadlines(
    session: Session,
    from_date: dt.date,
    to_date: dt.date,
    kinds: tuple[str, ...] = ("review", "end"),
) -> list[Deadline]:
    """Reviews and ends (or only the ``kinds`` asked for) falling between the dates
    (inclusive), soonest first; one query per kind.

    Terminated agreements and versions already replaced by a renewal are left out:
    nothing is due on them.
    """
    later = aliased(Agreement)
    replaced = select(later.id).where(later.supersedes_id == Agreement.id).exists()
    base = select(Agreement.id, Agreement.reference, Agreement.revision, Agreement.title).where(
        Agreement.terminated_on.is_(None), ~replaced
    )
    deadlines: list[Deadline] = []
    columns = {"review": Agreement.review_on, "end": Agreement.ends_on}
    for kind in kinds:
        column = columns[kind]
        rows = session.execute(
            base.add_columns(column).where(column >= from_date, column <= to_date)
        ).all()
        deadlines.extend(Deadline(r[0], r[1], r[2], r[3], kind, r[4]) for r in rows)
    return sorted(deadlines, key=lambda d: (d.due_on, d.reference, d.kind))


def load_reference_organisations(session: Session, actor: Actor = SYSTEM) -> int:
    """Load the shipped London councils and ICBs; idempotent. Returns how many changed."""
    from ig.sharing.organisations import load_organisations_csv

    changed = 0
    for name in REFERENCE_FILES:
        result = load_organisations_csv(
            session, actor, (REFERENCE_DIR / name).read_text(encoding="utf-8-sig"), name
        )
        changed += result.added + result.updated
    return changed


def resolve_organisation(session: Session, text: str, field: str) -> Organisation:
    """The organisation a person typed: its code, or its full name if that is unique.

    Raises ValidationFailed(field, ...) saying how to pick the right one.
    """
    value = text.strip()
    by_code = find_organisation_by_code(session, value) if value else None
    if by_code is not None:
        return by_code
    matches = session.scalars(
        select(Organisation).where(func.lower(Organisation.name) == value.lower()).limit(2)
    ).all()
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ValidationFailed(
            field, f"More than one organisation is called {value}: enter its code"
        )
    raise ValidationFailed(
        field, f"No organisation has the code or name {value[:80]}: check the partner register"
    )
