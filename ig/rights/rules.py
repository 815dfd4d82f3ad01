"""The rules a rights request's clock enforces: when it may pause, restart and extend.

Pure functions; each raises ValidationFailed, naming the field, when the law or the
record forbids the change, so that bad input changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ig.errors import ValidationFailed
from ig.rights.clock import Deadline, Extension, Pause
from ig.rights.policy import Clock, RequestType


def _uk(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def _check_past(field: str, day: dt.date, today: dt.date, what: str) -> None:
    if day > today:
        raise ValidationFailed(field, f"The date {what} must be today or in the past")


def check_pause(
    request_type: RequestType,
    clock: Deadline,
    pauses: Sequence[Pause],
    pause: Pause,
    today: dt.date,
) -> None:
    """A new pause: Art. 12A stops a data protection request's clock, from receipt to
    the deadline, one pause at a time; an end date, if given, is not before the start."""
    if not request_type.is_pausable:
        raise ValidationFailed("start", f"The clock of a {request_type.label} cannot be paused")
    if any(earlier.end is None for earlier in pauses):
        raise ValidationFailed("start", "The clock is already paused: record when it restarted")
    if pause.start < clock.received_on:
        raise ValidationFailed(
            "start",
            f"The pause cannot start before the request was received ({_uk(clock.received_on)})",
        )
    _check_past("start", pause.start, today, "the clock stopped")
    latest_end = max((earlier.end for earlier in pauses if earlier.end), default=None)
    if latest_end is not None and pause.start < latest_end:
        raise ValidationFailed(
            "start", f"The pause cannot start before the last pause ended ({_uk(latest_end)})"
        )
    if pause.start > clock.due_on:
        raise ValidationFailed(
            "start", f"The pause cannot start after the deadline ({_uk(clock.due_on)})"
        )
    if pause.end is not None:
        check_restart(pause, pause.end, today)


def check_restart(pause: Pause, end: dt.date, today: dt.date) -> None:
    """The day the clock restarts: not before it stopped, and not in the future."""
    if end < pause.start:
        raise ValidationFailed("end", f"The pause cannot end before it starts ({_uk(pause.start)})")
    _check_past("end", end, today, "the clock restarted")


def check_extension(
    request_type: RequestType,
    clock: Deadline,
    extension: Extension,
    today: dt.date,
) -> None:
    """An extension: only for a type that allows one, once, within the limit, and told
    to the requester by the first deadline (UK GDPR Art. 12(3): "within one month";
    FOIA s.17(2) and EIR reg. 7(3): within the first 20 working days)."""
    if not request_type.is_extendable:
        raise ValidationFailed(
            "told_on", f"The deadline of a {request_type.label} cannot be extended"
        )
    if clock.is_extended:
        raise ValidationFailed("told_on", "The deadline has already been extended")
    if extension.told_on < clock.received_on:
        raise ValidationFailed(
            "told_on",
            "The requester cannot be told before the request was received "
            f"({_uk(clock.received_on)})",
        )
    _check_past("told_on", extension.told_on, today, "the requester was told")
    if extension.told_on > clock.first_due_on:
        period = "month" if request_type.clock is Clock.CALENDAR_MONTH else "period"
        raise ValidationFailed(
            "told_on",
            f"An extension must be told to the requester within the first {period}, "
            f"by {_uk(clock.first_due_on)}; it cannot be recorded after that",
        )
    _check_length(request_type, extension)


def _check_length(request_type: RequestType, extension: Extension) -> None:
    if request_type.clock is Clock.CALENDAR_MONTH:
        most, given, unit = request_type.extension_months, extension.months, "months"
    else:
        most, given, unit = request_type.extension_days, extension.days, "working days"
    if not 1 <= given <= most:
        raise ValidationFailed("length", f"An extension must be between 1 and {most} {unit}")
