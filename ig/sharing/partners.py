"""Finding a partner organisation: by its GSS or ODS code, and the council itself."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.people.models import Organisation


def find_organisation_by_code(session: Session, code: str) -> Organisation | None:
    """The organisation with this GSS or ODS code (any case), or None."""
    return session.scalar(select(Organisation).where(Organisation.code == code.strip().upper()))


def find_self_organisation(session: Session) -> Organisation | None:
    """The organisation marked as this organisation, if one is."""
    return session.scalar(select(Organisation).where(Organisation.is_self.is_(True)))
