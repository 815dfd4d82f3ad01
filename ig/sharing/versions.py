"""An agreement's versions, for the records in other registers that link one version:
a renewal is a new version with the same reference, replacing the one it supersedes.

Other features read them through these functions (pyproject.toml's import contract
names each module that does).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from ig.sharing.models import Agreement


def agreement_versions(agreement_id: int) -> Select[int]:
    """The ids of every version of the agreement that ``agreement_id`` is a version of,
    as a subquery for another register's query: a renewal keeps the reference."""
    reference = select(Agreement.reference).where(Agreement.id == agreement_id)
    return select(Agreement.id).where(Agreement.reference == reference.scalar_subquery())


@dataclass(frozen=True)
class CurrentVersion:
    """A version of an agreement, and the agreement's latest version (maybe the same)."""

    version_id: int
    version_revision: int
    current: Agreement


def list_current_versions(session: Session, agreement_ids: Iterable[int]) -> list[CurrentVersion]:
    """The latest version of the agreement of each of these versions, by reference then
    revision, in one query (for records that link to a version)."""
    ids = list(agreement_ids)
    if not ids:
        return []
    given, later = aliased(Agreement, name="given"), aliased(Agreement, name="later")
    rows = session.execute(
        select(given.id, given.revision, Agreement)
        .join(given, given.reference == Agreement.reference)
        .where(
            given.id.in_(ids),
            ~select(later.id).where(later.supersedes_id == Agreement.id).exists(),
        )
        .order_by(Agreement.reference, given.revision)
    ).all()
    return [CurrentVersion(row[0], row[1], row[2]) for row in rows]
