"""Links from a DPIA to the data-sharing agreements whose processing it assesses.

Agreements are found only through the sharing feature's service functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.dpia.models import dpia_sharing_agreements
from ig.dpia.service import get_dpia, require_manage
from ig.errors import NotFound, ValidationFailed
from ig.sharing.service import find_agreement
from ig.sharing.versions import list_current_versions

LINKS = dpia_sharing_agreements


@dataclass(frozen=True)
class AgreementLink:
    """A linked agreement as the DPIA page shows it: its current version, and the
    version the link was made on (an earlier one once the agreement is renewed)."""

    agreement_id: int
    reference: str
    title: str
    revision: int
    linked_id: int
    linked_revision: int

    @property
    def is_on_earlier_version(self) -> bool:
        return self.linked_id != self.agreement_id


def linked_agreements(session: Session, dpia_id: int) -> list[AgreementLink]:
    """The agreements linked to the DPIA, each at its current version, by reference, in
    two queries."""
    ids = session.scalars(select(LINKS.c.agreement_id).where(LINKS.c.dpia_id == dpia_id)).all()
    return [
        AgreementLink(
            v.current.id,
            v.current.reference,
            v.current.title,
            v.current.revision,
            v.version_id,
            v.version_revision,
        )
        for v in list_current_versions(session, ids)
    ]


def link_agreement(
    session: Session, actor: Actor, dpia_id: int, reference: str, now: dt.datetime
) -> AgreementLink:
    """Link the agreement with ``reference`` (its latest version) to the DPIA.

    Raises NotFound, PermissionDenied, ValidationFailed (no such agreement, or any of
    its versions already linked).
    """
    require_manage(actor)
    dpia = get_dpia(session, dpia_id)
    if not reference.strip():
        raise ValidationFailed("reference", "Enter the agreement's reference, like DSA-2026-001")
    agreement = find_agreement(session, reference)
    if agreement is None:
        raise ValidationFailed("reference", "No data-sharing agreement has that reference")
    if any(link.reference == agreement.reference for link in linked_agreements(session, dpia.id)):
        raise ValidationFailed("reference", f"{agreement.reference} is already linked")
    session.execute(insert(LINKS).values(dpia_id=dpia.id, agreement_id=agreement.id, linked_at=now))
    record(
        session,
        actor,
        "dpia.agreement_linked",
        "dpia",
        dpia.id,
        {"agreement": agreement.id},
        at=now,
    )
    return AgreementLink(
        agreement.id,
        agreement.reference,
        agreement.title,
        agreement.revision,
        agreement.id,
        agreement.revision,
    )


def unlink_agreement(
    session: Session, actor: Actor, dpia_id: int, agreement_id: int, now: dt.datetime
) -> None:
    """Remove the link. Raises NotFound (no such DPIA or link), PermissionDenied."""
    require_manage(actor)
    dpia = get_dpia(session, dpia_id)
    removed = session.execute(
        delete(LINKS).where(LINKS.c.dpia_id == dpia.id, LINKS.c.agreement_id == agreement_id)
    )
    if not removed.rowcount:  # type: ignore[attr-defined]
        raise NotFound("That agreement is not linked to this DPIA")
    record(
        session,
        actor,
        "dpia.agreement_unlinked",
        "dpia",
        dpia.id,
        {"agreement": agreement_id},
        at=now,
    )
