"""Ready-to-show values for the rights pages: deadlines, days left, the timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ig.rights.clock import Deadline
from ig.rights.models import Outcome, PauseReason, RequestStatus, RightsRequest
from ig.rights.policy import RightsPolicy
from ig.rights.records import clock_of
from ig.rights.service import CHANNELS

OUTCOME_LABELS = {
    Outcome.COMPLETE: "Complete",
    Outcome.PARTIAL: "Partial",
    Outcome.REFUSED: "Refused",
    Outcome.WITHDRAWN: "Withdrawn",
}
PAUSE_LABELS = {
    PauseReason.IDENTITY: "Waiting for proof of identity",
    PauseReason.CLARIFICATION: "Waiting for clarification",
    PauseReason.FEE: "Waiting for a fee",
}


@dataclass(frozen=True)
class Row:
    """A request with its clock, as the register and its page show it."""

    item: RightsRequest
    type_label: str
    channel: str
    clock: Deadline
    days_left: str
    state: str
    tag: str


def _uk(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def days_left_text(clock: Deadline, today: dt.date) -> str:
    left = clock.days_left(today)
    if left > 1:
        return f"{left} days left"
    if left == 1:
        return "1 day left"
    if left == 0:
        return "Due today"
    return f"{-left} day{'s' if left < -1 else ''} overdue"


def _state(item: RightsRequest, clock: Deadline, today: dt.date) -> tuple[str, str]:
    if item.status is RequestStatus.CLOSED and item.outcome is not None:
        return OUTCOME_LABELS[item.outcome], "govuk-tag--grey"
    if clock.is_paused:
        return "Paused", "govuk-tag--yellow"
    left = clock.days_left(today)
    if left < 0:
        return "Overdue", "govuk-tag--red"
    return ("Due soon", "govuk-tag--orange") if left <= 7 else ("Open", "govuk-tag--blue")


def rows_of(items: list[RightsRequest], policy: RightsPolicy, today: dt.date) -> list[Row]:
    rows = []
    for item in items:
        clock = clock_of(item, policy, today)
        closed = item.status is RequestStatus.CLOSED
        state, tag = _state(item, clock, today)
        rows.append(
            Row(
                item,
                policy.label(item.type_key),
                CHANNELS.get(item.channel, item.channel),
                clock,
                "" if closed else days_left_text(clock, today),
                state,
                tag,
            )
        )
    return rows


def timeline(
    item: RightsRequest,
    row: Row,
    policy: RightsPolicy,
    extra: Iterable[tuple[dt.date, str]] = (),
) -> list[tuple[str, str]]:
    """The clock's events, and ``extra`` ones (a refusal, publication), in date order,
    as (UK date, what happened)."""
    request_type = policy.types.get(item.type_key)
    events = [(item.received_on, f"Received ({row.channel}): day one of the clock")]
    for pause in item.pauses:
        events.append((pause.started_on, f"Clock stopped: {PAUSE_LABELS[pause.reason].lower()}"))
        if pause.ended_on:
            days = (pause.ended_on - pause.started_on).days
            events.append((pause.ended_on, f"Clock restarted: {days} days paused"))
    if item.extension_told_on:
        length = (
            f"{item.extension_months} months"
            if item.extension_months
            else f"{item.extension_days} working days"
        )
        events.append((item.extension_told_on, f"Extended by {length}; requester told"))
    if row.clock.is_extended:
        events.append((row.clock.first_due_on, "First deadline (before the extension)"))
    source = f" ({request_type.source})" if request_type else ""
    events.append((row.clock.due_on, f"Deadline{source}"))
    if item.response_sent_on and item.outcome:
        events.append(
            (item.response_sent_on, f"Response sent: {OUTCOME_LABELS[item.outcome].lower()}")
        )
    events.extend(extra)
    return [(_uk(day), text) for day, text in sorted(events, key=lambda event: event[0])]
