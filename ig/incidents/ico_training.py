"""The ICO report's training answer, from the training register as it stood on the day."""

from __future__ import annotations

import datetime as dt

from ig.db import LONDON
from ig.incidents.ico_form import NOT_YET_KNOWN, day_text
from ig.incidents.involved import Involved
from ig.incidents.models import Incident

# The ICO asks whether the staff involved had data protection training "in the last
# two years".
TRAINING_YEARS = 2


def _years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return dt.date(day.year - years, 2, 28)


def training_answer(incident: Incident, involved: list[Involved]) -> str:
    """The ICO's question on the staff involved's data protection training in the two years
    before the breach, answered from the training register as it stood on that day."""
    if not involved:
        return f"{NOT_YET_KNOWN}: no staff involved are recorded"
    day = incident.occurred_at.astimezone(LONDON).date()
    since = _years_before(day, TRAINING_YEARS)
    answers: list[bool | None] = []
    lines: list[str] = []
    for person in involved:
        if not person.training:
            answers.append(None)
            lines.append(f"{person.staff.name}: not on the training register on that day")
            continue
        done = [
            (row.course_title, row.last_completed_on)
            for row in person.training
            if row.last_completed_on is not None and row.last_completed_on >= since
        ]
        answers.append(bool(done))
        lines.append(
            f"{person.staff.name}: "
            + (
                "; ".join(f"{title}, completed {day_text(on)}" for title, on in done)
                if done
                else "no data protection training completed in the two years before"
            )
        )
    overall = "No" if False in answers else (NOT_YET_KNOWN if None in answers else "Yes")
    return "\n".join([f"{overall} (from the training register on {day_text(day)})", *lines])
