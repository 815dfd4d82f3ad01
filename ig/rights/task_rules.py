"""What an Information Asset Owner's answer to a rights task must hold: pure checks.

For erasure (UK GDPR Art. 17) and withdrawal of consent (Art. 7(3), which leads to
erasure under Art. 17(1)(b)) the owner says what was done with the data found: deleted
or restricted on a date, or kept with the exemption that allows it (Art. 17(3)).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ig import bounds
from ig.errors import ValidationFailed
from ig.rights.models import Removal
from ig.rights.policy import Exemption

# The kinds of request whose tasks ask what was done with the data found.
REMOVAL_TYPES = frozenset({"erasure", "consent_withdrawal"})


@dataclass(frozen=True)
class TaskResult:
    """An owner's answer: whether the search found the person's data, and what; for a
    removal, what was done (and when, or why it is kept)."""

    is_found: bool | None
    findings: str
    removal: Removal | None = None
    removed_on: dt.date | None = None
    exemption_key: str = ""
    kept_reason: str = ""


def _check_removed_on(day: dt.date | None, received_on: dt.date, today: dt.date) -> None:
    if day is None:
        raise ValidationFailed("removed_on", "Enter the date the data was deleted or restricted")
    problem = bounds.date_problem(day)
    if problem:
        raise ValidationFailed("removed_on", problem)
    if day > today:
        raise ValidationFailed("removed_on", "The date must be today or in the past")
    if day < received_on:
        raise ValidationFailed(
            "removed_on",
            f"The date cannot be before the request was received ({received_on:%-d %B %Y})",
        )


def check_result(
    result: TaskResult,
    asks_removal: bool,
    received_on: dt.date,
    today: dt.date,
    exemptions: Mapping[str, Exemption],
) -> None:
    """Raise ValidationFailed naming the field when the answer is incomplete or wrong:
    found or not, the findings, and for a removal found, what was done."""
    if result.is_found is None:
        raise ValidationFailed("is_found", "Say whether the search found the person's data")
    if not result.findings.strip():
        raise ValidationFailed("findings", "Enter what the search found, or where you looked")
    if not (asks_removal and result.is_found):
        return
    if result.removal is None:
        raise ValidationFailed("removal", "Say whether the data was deleted, restricted or kept")
    if result.removal is Removal.KEPT:
        if result.exemption_key not in exemptions:
            raise ValidationFailed("exemption", "Choose the exemption that allows it to be kept")
        if not result.kept_reason.strip():
            raise ValidationFailed("kept_reason", "Enter why the data must be kept")
        return
    _check_removed_on(result.removed_on, received_on, today)
