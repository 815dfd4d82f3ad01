"""What the other registers read of the incidents: which of some are personal data breaches.

The record of processing reads incidents through this function only (pyproject.toml's
import contract says so).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.incidents.models import Incident, Kind, Status


def breach_references(session: Session, references: Iterable[str]) -> set[str]:
    """Those of ``references`` (exactly as stored) that are personal data breaches, in one
    query: triaged as a breach, and neither withdrawn nor a duplicate. A near miss is no
    breach (UK GDPR Art. 4(12)), and a report not yet triaged is not yet known to be one."""
    wanted = set(references)
    if not wanted:
        return set()
    query = select(Incident.reference).where(
        Incident.reference.in_(wanted),
        Incident.kind == Kind.BREACH,
        Incident.status.not_in((Status.WITHDRAWN, Status.DUPLICATE)),
    )
    return set(session.scalars(query))
