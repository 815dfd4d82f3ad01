"""Pure rules for processor contracts: the missing Art. 28 terms and the ending flags."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping


class EndState(enum.StrEnum):
    RUNNING = "running"
    ENDING_SOON = "ending_soon"
    ENDED = "ended"


END_LABELS = {
    EndState.RUNNING: "Running",
    EndState.ENDING_SOON: "Ending soon",
    EndState.ENDED: "Ended",
}
MISSING_TERMS_LABEL = "Missing terms"


def missing_terms(terms: Mapping[str, str], agreed: Iterable[str]) -> list[str]:
    """The policy's terms (their keys, in the policy's order) the contract does not contain."""
    present = set(agreed)
    return [key for key in terms if key not in present]


def end_state(end_on: dt.date, today: dt.date, ending_soon_days: int) -> EndState:
    """Ended once the end date has passed; ending soon on it or within the window."""
    if end_on < today:
        return EndState.ENDED
    if end_on <= today + dt.timedelta(days=ending_soon_days):
        return EndState.ENDING_SOON
    return EndState.RUNNING


def ending_soon_from(today: dt.date, ending_soon_days: int) -> dt.date:
    """The last end date that counts as ending soon (for queries): today plus the window."""
    return today + dt.timedelta(days=ending_soon_days)


def missing_message(labels: list[str]) -> str:
    """The warning a contract missing terms shows, naming each missing term."""
    if not labels:
        return ""
    named = "; ".join(labels)
    count = f"{len(labels)} of the terms" if len(labels) > 1 else "a term"
    return f"This contract is missing {count} UK GDPR Art. 28(3) requires: {named}"
