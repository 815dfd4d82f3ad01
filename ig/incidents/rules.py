"""Pure incident rules: grading and the duty to notify, the 72-hour deadline, statuses.

No database, no Flask. Where each regulator's 72-hour clock stands is in deadlines.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ig.errors import InvalidTransition, ValidationFailed
from ig.incidents.models import Status
from ig.incidents.policy import IncidentsPolicy

AXIS = range(1, 6)


@dataclass(frozen=True)
class Duties:
    """What the grading means: the grades after floors, the duties and why."""

    likelihood: int
    severity: int
    ico: bool
    dhsc: bool
    reasons: tuple[str, ...]


def _utc(moment: dt.datetime) -> dt.datetime:
    # Python subtracts and compares two datetimes sharing one tzinfo by wall-clock time,
    # which is an hour out across a clock change; in UTC it is elapsed time.
    return moment.astimezone(dt.UTC)


def check_axis(field: str, value: int) -> None:
    """ValidationFailed unless ``value`` is on the 1-5 grid."""
    if value not in AXIS:
        raise ValidationFailed(field, f"Choose a {field} from 1 to 5")


def apply_floors(
    policy: IncidentsPolicy, likelihood: int, severity: int, vulnerable: bool
) -> tuple[int, int]:
    """The grades after the floor for incidents involving vulnerable people."""
    if not vulnerable:
        return likelihood, severity
    return (
        max(likelihood, policy.vulnerable_floor_likelihood),
        max(severity, policy.vulnerable_floor_severity),
    )


def assess(policy: IncidentsPolicy, likelihood: int, severity: int, vulnerable: bool) -> Duties:
    """Grade on the grid and say which duties to notify follow, with the reasons.

    The rule is the pair of thresholds, not the product of the grades (NHS England's
    guide to notifying data security and protection incidents).
    """
    check_axis("likelihood", likelihood)
    check_axis("severity", severity)
    floored_l, floored_s = apply_floors(policy, likelihood, severity, vulnerable)
    reasons: list[str] = []
    if (floored_l, floored_s) != (likelihood, severity):
        reasons.append(
            f"Vulnerable people are involved, so the grading is at least "
            f"{policy.vulnerable_floor_likelihood} x {policy.vulnerable_floor_severity} "
            f"(raised to {floored_l} x {floored_s})."
        )
    ico = floored_l >= policy.ico_min_likelihood and floored_s >= policy.ico_min_severity
    if ico:
        reasons.append(
            f"Likelihood {floored_l} is at least {policy.ico_min_likelihood} and severity "
            f"{floored_s} is at least {policy.ico_min_severity}: notify the ICO "
            f"(UK GDPR Art. 33)."
        )
    else:
        reasons.append(
            f"Not notifiable to the ICO: it needs likelihood at least "
            f"{policy.ico_min_likelihood} and severity at least {policy.ico_min_severity} "
            f"(graded {floored_l} x {floored_s})."
        )
    dhsc = ico and floored_s >= policy.dhsc_min_severity
    if dhsc:
        reasons.append(
            f"Severity {floored_s} is at least {policy.dhsc_min_severity}: notify DHSC and "
            "NHS England too, through the DSPT incident reporting tool."
        )
    return Duties(floored_l, floored_s, ico, dhsc, tuple(reasons))


def needs_confirmation(policy: IncidentsPolicy, ico_notifiable: bool) -> bool:
    """Whether the policy asks the SIRO or Caldicott Guardian to confirm this grading."""
    return policy.confirm_when == "always" or (
        policy.confirm_when == "notifiable" and ico_notifiable
    )


def notification_deadline(policy: IncidentsPolicy, aware_at: dt.datetime) -> dt.datetime:
    """72 elapsed hours from awareness (UK GDPR Art. 33(1)), as a UTC instant.

    The sum is taken in UTC: adding hours to a Europe/London wall-clock time would be
    an hour out whenever the clocks change within the 72 hours.
    """
    if aware_at.tzinfo is None:
        raise ValueError("aware_at must be timezone-aware")
    return aware_at.astimezone(dt.UTC) + dt.timedelta(hours=policy.deadline_hours)


def describe_time_left(deadline: dt.datetime, now: dt.datetime) -> str:
    """'2 days 3 hours left' or 'overdue by 5 hours' (whole hours, rounded down)."""
    seconds = int((_utc(deadline) - _utc(now)).total_seconds())
    hours = abs(seconds) // 3600
    days, rest = divmod(hours, 24)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if rest or not days:
        parts.append(f"{rest} hour{'s' if rest != 1 else ''}")
    if seconds >= 0:
        return f"{' '.join(parts)} left"
    return f"overdue by {' '.join(parts)}"


def is_late(deadline: dt.datetime | None, sent_at: dt.datetime) -> bool:
    """Whether a notification made at ``sent_at`` missed the deadline."""
    return deadline is not None and _utc(sent_at) > _utc(deadline)


def check_late_reason(deadline: dt.datetime | None, sent_at: dt.datetime, reason: str) -> None:
    """UK GDPR Art. 33(1): a notification after 72 hours must give the reasons for delay."""
    if is_late(deadline, sent_at) and not reason.strip():
        raise ValidationFailed(
            "late_reason",
            "This notification is after the 72-hour deadline: give the reasons for the "
            "delay (UK GDPR Art. 33(1))",
        )


def hours_between(start: dt.datetime, end: dt.datetime) -> int:
    """Whole elapsed hours from ``start`` to ``end`` (never negative)."""
    return max(0, int((_utc(end) - _utc(start)).total_seconds() // 3600))


# Which status may follow which. Reopening (from closed, withdrawn or duplicate) goes
# back to investigating and is recorded on the timeline.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.REPORTED: frozenset({Status.TRIAGED, Status.WITHDRAWN, Status.DUPLICATE}),
    Status.TRIAGED: frozenset(
        {Status.INVESTIGATING, Status.NOTIFIED, Status.CLOSED, Status.WITHDRAWN, Status.DUPLICATE}
    ),
    Status.INVESTIGATING: frozenset(
        {Status.NOTIFIED, Status.CLOSED, Status.WITHDRAWN, Status.DUPLICATE}
    ),
    Status.NOTIFIED: frozenset({Status.INVESTIGATING, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.INVESTIGATING}),
    Status.WITHDRAWN: frozenset({Status.INVESTIGATING, Status.REPORTED}),
    Status.DUPLICATE: frozenset({Status.INVESTIGATING}),
}
OPEN_STATUSES = frozenset({Status.REPORTED, Status.TRIAGED, Status.INVESTIGATING, Status.NOTIFIED})


def check_transition(current: Status, target: Status) -> None:
    """InvalidTransition unless ``current`` may move to ``target``."""
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(
            f"An incident that is {current.value} cannot be marked {target.value}"
        )


def check_communication(
    is_high_risk: bool,
    told_at: dt.datetime | None,
    told_how: str,
    exemption: str | None,
    public_communication: str,
) -> None:
    """UK GDPR Art. 34: with a high risk, tell the people or name the exemption relied on."""
    if not is_high_risk:
        return
    if exemption is None:
        if told_at is None:
            raise ValidationFailed("told_at", "Enter when the people affected were told")
        if not told_how.strip():
            raise ValidationFailed("told_how", "Say how the people affected were told")
    elif exemption == "disproportionate_effort" and not public_communication.strip():
        raise ValidationFailed(
            "public_communication",
            "Telling each person would take disproportionate effort: describe the public "
            "communication used instead (UK GDPR Art. 34(3)(c))",
        )
