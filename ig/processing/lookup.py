"""What the other registers read of the processing activities: one typed by number or
name, names by id, and the picker's search. DPIAs link activities through these
functions only (pyproject.toml's import contract says so)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig import bounds
from ig.errors import ValidationFailed
from ig.people import pickers
from ig.processing.models import ProcessingActivity

# For the DPIA page's autocomplete: activities are picked by name, never listed whole.
PICKER = pickers.Kind(
    "processing activity",
    ProcessingActivity.id.expression,
    ProcessingActivity.name.expression,
    (ProcessingActivity.name.expression,),
)


def resolve_activity(session: Session, text: str, field: str) -> tuple[int, str]:
    """The id and name of the activity a person typed: its number, or its full name if
    that is unique (either role).

    Raises ValidationFailed(field, ...) saying how to pick the right one.
    """
    value = text.strip()
    number = bounds.record_number(value)
    query = select(ProcessingActivity.id, ProcessingActivity.name)
    if number:
        found = session.execute(query.where(ProcessingActivity.id == number)).first()
        if found is not None:
            return found.id, found.name
    matches = session.execute(
        query.where(func.lower(ProcessingActivity.name) == value.lower()).limit(2)
    ).all()
    if len(matches) == 1:
        return matches[0].id, matches[0].name
    if matches:
        raise ValidationFailed(
            field, f"More than one processing activity is called {value[:80]}: enter its number"
        )
    raise ValidationFailed(
        field,
        f"No processing activity has the number or name {value[:80]}: check the record "
        "of processing activities",
    )


def activity_names(session: Session, activity_ids: Iterable[int]) -> dict[int, str]:
    """The names of the activities with these ids, in one query (for other features' lists)."""
    wanted = set(activity_ids)
    if not wanted:
        return {}
    query = select(ProcessingActivity.id, ProcessingActivity.name).where(
        ProcessingActivity.id.in_(wanted)
    )
    return {row.id: row.name for row in session.execute(query)}
