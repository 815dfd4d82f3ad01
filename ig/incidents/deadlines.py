"""Pure rules of the 72-hour clocks: where the ICO's and DHSC's deadlines stand at a moment."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from ig.incidents.models import Incident, Kind, Status
from ig.incidents.rules import OPEN_STATUSES, describe_time_left, is_late


class Clock(enum.StrEnum):
    """Where a regulator's 72-hour clock stands; the *_PASSED states are overdue."""

    NONE = "none"  # no clock: a near miss, not an incident, not yet aware, or not open
    NOT_KNOWN = "not_known"  # DHSC only: whether it applies waits for the grading
    NOT_REQUIRED = "not_required"  # settled: this regulator need not be told
    DECIDED_NOT_TO_NOTIFY = "decided_not_to_notify"  # reasons recorded
    AWAITING_GRADING = "awaiting_grading"
    AWAITING_CONFIRMATION = "awaiting_confirmation"  # graded below the threshold
    RUNNING = "running"  # notifiable, not yet told
    GRADING_PASSED = "grading_passed"
    CONFIRMATION_PASSED = "confirmation_passed"
    NOTIFICATION_PASSED = "notification_passed"
    MET = "met"
    LATE = "late"


OVERDUE = frozenset({Clock.GRADING_PASSED, Clock.CONFIRMATION_PASSED, Clock.NOTIFICATION_PASSED})
# Before the deadline each pending state becomes its passed state once the deadline goes.
_PASSES = {
    Clock.AWAITING_GRADING: Clock.GRADING_PASSED,
    Clock.AWAITING_CONFIRMATION: Clock.CONFIRMATION_PASSED,
    Clock.RUNNING: Clock.NOTIFICATION_PASSED,
}
CLOCK_TEXT = {
    Clock.NONE: "no 72-hour clock",
    Clock.NOT_KNOWN: "depends on the grading",
    Clock.NOT_REQUIRED: "not required on the grading",
    Clock.DECIDED_NOT_TO_NOTIFY: "not notifying, reasons recorded",
    Clock.AWAITING_GRADING: "not yet graded",
    Clock.AWAITING_CONFIRMATION: "graded below the threshold, awaiting confirmation",
    Clock.RUNNING: "not yet notified",
    Clock.GRADING_PASSED: "deadline passed, not yet graded",
    Clock.CONFIRMATION_PASSED: "deadline passed, grading below the threshold not yet confirmed",
    Clock.NOTIFICATION_PASSED: "deadline passed, not yet notified",
    Clock.MET: "notified within 72 hours",
    Clock.LATE: "notified after the deadline",
}


@dataclass(frozen=True)
class ClockFacts:
    """What the 72-hour clocks depend on, as plain values read from an incident.

    ``deadline_at`` is 72 hours from awareness (notification_deadline, set at triage;
    None before awareness). ``is_overridden`` is a recorded override of the grid's duties;
    ``has_no_notification_reason`` a recorded decision not to notify.
    """

    kind: Kind | None
    status: Status
    deadline_at: dt.datetime | None
    is_graded: bool
    is_ico_notifiable: bool
    is_dhsc_notifiable: bool
    awaits_confirmation: bool
    is_overridden: bool
    has_no_notification_reason: bool
    ico_notified_at: dt.datetime | None
    dhsc_notified_at: dt.datetime | None


@dataclass(frozen=True)
class DeadlineStatus:
    """One regulator's 72-hour deadline as people see it."""

    clock: Clock
    due_at: dt.datetime | None
    text: str
    time_left: str
    has_passed: bool = False

    @property
    def is_overdue(self) -> bool:
        return self.clock in OVERDUE

    @property
    def is_pending(self) -> bool:
        """Whether something is still to be done before (or since) the deadline."""
        return self.clock in OVERDUE or self.clock in _PASSES


@dataclass(frozen=True)
class Deadlines:
    ico: DeadlineStatus
    dhsc: DeadlineStatus

    @property
    def is_overdue(self) -> bool:
        return self.ico.is_overdue or self.dhsc.is_overdue


def clock_facts(incident: Incident, dhsc_notified_at: dt.datetime | None) -> ClockFacts:
    """The facts the 72-hour rule reads, from an incident and its first DHSC notification."""
    return ClockFacts(
        kind=incident.kind,
        status=incident.status,
        deadline_at=incident.deadline_at,
        is_graded=incident.likelihood is not None,
        is_ico_notifiable=incident.is_ico_notifiable,
        is_dhsc_notifiable=incident.is_dhsc_notifiable,
        awaits_confirmation=incident.needs_confirmation and incident.confirmed_at is None,
        is_overridden=incident.ico_override is not None,
        has_no_notification_reason=incident.decided_not_to_notify,
        ico_notified_at=incident.first_notified_at,
        dhsc_notified_at=dhsc_notified_at,
    )


def clock_runs(facts: ClockFacts) -> bool:
    """Whether the incident has a 72-hour clock at all: an open breach (or a report not yet
    triaged) after awareness. A near miss never has one: nothing was breached."""
    return (
        facts.deadline_at is not None
        and facts.kind in (None, Kind.BREACH)
        and facts.status in OPEN_STATUSES
    )


def _ico_clock(facts: ClockFacts) -> Clock:
    if facts.ico_notified_at is not None:
        return Clock.LATE if is_late(facts.deadline_at, facts.ico_notified_at) else Clock.MET
    if not clock_runs(facts):
        return Clock.NONE
    if facts.has_no_notification_reason:
        return Clock.DECIDED_NOT_TO_NOTIFY
    if not facts.is_graded:
        return Clock.AWAITING_GRADING
    if facts.is_ico_notifiable:
        return Clock.RUNNING
    # Graded below the threshold: settled once confirmed, or when the policy needs no
    # confirmation, or when the IG officer overrode the grid with a recorded reason.
    if facts.awaits_confirmation and not facts.is_overridden:
        return Clock.AWAITING_CONFIRMATION
    return Clock.NOT_REQUIRED


def _dhsc_clock(facts: ClockFacts) -> Clock:
    if facts.dhsc_notified_at is not None:
        return Clock.LATE if is_late(facts.deadline_at, facts.dhsc_notified_at) else Clock.MET
    if not clock_runs(facts):
        return Clock.NONE
    # One recorded decision covers both: DHSC and NHS England are told through the DSPT
    # incident tool, which reports to the ICO too.
    if facts.has_no_notification_reason:
        return Clock.DECIDED_NOT_TO_NOTIFY
    if not facts.is_graded:
        return Clock.NOT_KNOWN  # the ICO's clock already flags an ungraded breach
    return Clock.RUNNING if facts.is_dhsc_notifiable else Clock.NOT_REQUIRED


def _status(clock: Clock, due_at: dt.datetime | None, now: dt.datetime) -> DeadlineStatus:
    has_passed = is_late(due_at, now)
    if clock in _PASSES and has_passed:
        clock = _PASSES[clock]
    shown_due = None if clock in (Clock.NONE, Clock.NOT_KNOWN) else due_at
    time_left = ""
    if due_at is not None and (clock in _PASSES or clock in OVERDUE):
        time_left = describe_time_left(due_at, now)
    return DeadlineStatus(clock, shown_due, CLOCK_TEXT[clock], time_left, has_passed)


def deadline_status(facts: ClockFacts, now: dt.datetime) -> Deadlines:
    """The ICO's and DHSC's 72-hour deadlines at ``now`` (UK GDPR Art. 33(1)).

    The clock runs from awareness whatever the grading: a breach not yet graded, or graded
    below the threshold and waiting for confirmation, is overdue once 72 hours pass, as is
    a notifiable one not yet notified. A notification made, a recorded decision not to
    notify, or a settled grading below the threshold ends it. DHSC / NHS England is
    tracked the same way where the grading (or an override) says they must be told.
    """
    return Deadlines(
        ico=_status(_ico_clock(facts), facts.deadline_at, now),
        dhsc=_status(_dhsc_clock(facts), facts.deadline_at, now),
    )
