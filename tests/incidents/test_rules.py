"""Pure rules: the grid cell by cell with the floors, the 72-hour clock, statuses, Art. 34."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ig.db import LONDON
from ig.errors import InvalidTransition, ValidationFailed
from ig.incidents import rules
from ig.incidents.models import Status
from ig.incidents.policy import IncidentsPolicy
from ig.web import london_time

GRID = [(likelihood, severity) for likelihood in range(1, 6) for severity in range(1, 6)]


def expected(likelihood: int, severity: int, vulnerable: bool) -> tuple[int, int, bool, bool]:
    """The default policy written out independently: floors 2 x 2, ICO at L>=3 and S>=2,
    DHSC also at S>=4."""
    if vulnerable:
        likelihood, severity = max(likelihood, 2), max(severity, 2)
    ico = likelihood >= 3 and severity >= 2
    return likelihood, severity, ico, ico and severity >= 4


@pytest.mark.parametrize("vulnerable", [False, True])
@pytest.mark.parametrize(("likelihood", "severity"), GRID)
def test_every_cell_of_the_grid(policy, likelihood, severity, vulnerable):
    duties = rules.assess(policy, likelihood, severity, vulnerable)
    assert (duties.likelihood, duties.severity, duties.ico, duties.dhsc) == expected(
        likelihood, severity, vulnerable
    )
    assert duties.reasons  # the page always says why


@pytest.mark.parametrize(
    ("likelihood", "severity", "vulnerable", "ico", "dhsc"),
    [
        (5, 1, False, False, False),  # occurred but no adverse effect: record, do not notify
        (2, 5, False, False, False),  # the rule is the pair of thresholds, not the product (10)
        (3, 2, False, True, False),  # the lowest notifiable cell
        (3, 4, False, True, True),  # serious: DHSC too
        (5, 5, False, True, True),
        (3, 1, True, True, False),  # the floor lifts severity to 2: now notifiable
        (1, 5, True, False, False),  # the floor lifts likelihood only to 2
        (1, 1, True, False, False),
    ],
)
def test_named_cells(policy, likelihood, severity, vulnerable, ico, dhsc):
    duties = rules.assess(policy, likelihood, severity, vulnerable)
    assert (duties.ico, duties.dhsc) == (ico, dhsc)


def test_floor_is_explained(policy):
    duties = rules.assess(policy, 1, 1, True)
    assert (duties.likelihood, duties.severity) == (2, 2)
    assert "Vulnerable people" in duties.reasons[0]


@pytest.mark.parametrize(("likelihood", "severity"), [(0, 3), (6, 3), (3, 0), (3, 6), (-1, 9)])
def test_grades_off_the_grid_are_refused(policy, likelihood, severity):
    with pytest.raises(ValidationFailed, match="from 1 to 5"):
        rules.assess(policy, likelihood, severity, False)


axis = st.integers(min_value=1, max_value=5)


@given(l1=axis, s1=axis, l2=axis, s2=axis, vulnerable=st.booleans())
def test_raising_a_grade_never_removes_a_duty(l1, s1, l2, s2, vulnerable, policy_file):
    low = rules.assess(policy_file, min(l1, l2), min(s1, s2), vulnerable)
    high = rules.assess(policy_file, max(l1, l2), max(s1, s2), vulnerable)
    assert high.ico >= low.ico
    assert high.dhsc >= low.dhsc


@given(
    likelihood=axis,
    severity=axis,
    vulnerable=st.booleans(),
    ico_l=axis,
    ico_s=axis,
    dhsc_s=axis,
    floor_l=axis,
    floor_s=axis,
)
def test_any_policy_thresholds_are_applied_as_a_pair(
    likelihood, severity, vulnerable, ico_l, ico_s, dhsc_s, floor_l, floor_s, policy_file
):
    policy = dataclasses.replace(
        policy_file,
        ico_min_likelihood=ico_l,
        ico_min_severity=ico_s,
        dhsc_min_severity=dhsc_s,
        vulnerable_floor_likelihood=floor_l,
        vulnerable_floor_severity=floor_s,
    )
    duties = rules.assess(policy, likelihood, severity, vulnerable)
    assert duties.likelihood >= likelihood
    assert duties.severity >= severity
    if vulnerable:
        assert duties.likelihood >= floor_l
        assert duties.severity >= floor_s
    else:
        assert (duties.likelihood, duties.severity) == (likelihood, severity)
    assert duties.ico == (duties.likelihood >= ico_l and duties.severity >= ico_s)
    assert duties.dhsc == (duties.ico and duties.severity >= dhsc_s)


@pytest.mark.parametrize(
    ("confirm_when", "notifiable", "needed"),
    [
        ("always", False, True),
        ("always", True, True),
        ("notifiable", True, True),
        ("notifiable", False, False),
        ("never", True, False),
    ],
)
def test_who_confirms_follows_the_policy(policy, confirm_when, notifiable, needed):
    changed = dataclasses.replace(policy, confirm_when=confirm_when)
    assert rules.needs_confirmation(changed, notifiable) is needed


# The 72-hour clock: elapsed hours, right across both clock changes of 2026
# (29 March 01:00 UTC forwards, 25 October 01:00 UTC back).
@pytest.mark.parametrize(
    ("aware_local", "deadline_local"),
    [
        # Aware 10:00 GMT on Saturday; the clocks go forward on Sunday: 11:00 BST on Tuesday.
        (dt.datetime(2026, 3, 28, 10, 0, tzinfo=LONDON), "31 March 2026 at 11am"),
        # Aware 00:30 GMT on the morning of the change itself.
        (dt.datetime(2026, 3, 29, 0, 30, tzinfo=LONDON), "1 April 2026 at 1:30am"),
        # Aware 10:00 BST on Saturday; the clocks go back on Sunday: 09:00 GMT on Tuesday.
        (dt.datetime(2026, 10, 24, 10, 0, tzinfo=LONDON), "27 October 2026 at 9am"),
        # Aware 01:30 BST (the first 01:30) on the morning the clocks go back.
        (dt.datetime(2026, 10, 25, 1, 30, tzinfo=LONDON), "28 October 2026 at 12:30am"),
        # No change within the 72 hours: the same wall-clock time three days later.
        (dt.datetime(2026, 6, 1, 14, 15, tzinfo=LONDON), "4 June 2026 at 2:15pm"),
        (dt.datetime(2026, 12, 1, 14, 15, tzinfo=LONDON), "4 December 2026 at 2:15pm"),
    ],
)
def test_deadline_is_72_elapsed_hours_across_clock_changes(policy, aware_local, deadline_local):
    aware = aware_local
    deadline = rules.notification_deadline(policy, aware)
    assert deadline.tzinfo == dt.UTC
    assert deadline - aware.astimezone(dt.UTC) == dt.timedelta(hours=72)
    assert london_time(deadline) == deadline_local


def test_wall_clock_arithmetic_would_be_an_hour_out(policy):
    # The mistake the rule avoids: adding 72 hours to a London wall-clock time.
    aware = dt.datetime(2026, 3, 28, 10, 0, tzinfo=LONDON)
    naive_sum = aware + dt.timedelta(hours=72)  # zoneinfo adds wall-clock time
    assert rules.notification_deadline(policy, aware) != naive_sum.astimezone(dt.UTC)


def test_naive_awareness_is_refused(policy):
    with pytest.raises(ValueError, match="timezone-aware"):
        rules.notification_deadline(policy, dt.datetime(2026, 3, 28, 10, 0))  # noqa: DTZ001


@given(
    st.datetimes(
        min_value=dt.datetime(2020, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
        max_value=dt.datetime(2035, 12, 31),  # noqa: DTZ001
    )
)
def test_deadline_is_always_exactly_72_hours_later(policy_file, moment):
    aware = moment.replace(tzinfo=LONDON)
    deadline = rules.notification_deadline(policy_file, aware)
    assert deadline.timestamp() - aware.timestamp() == 72 * 3600


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (dt.timedelta(hours=72), "3 days left"),
        (dt.timedelta(hours=49, minutes=30), "2 days 1 hour left"),
        (dt.timedelta(hours=5, minutes=59), "5 hours left"),
        (dt.timedelta(minutes=20), "0 hours left"),
        (dt.timedelta(hours=-1), "overdue by 1 hour"),
        (dt.timedelta(hours=-26), "overdue by 1 day 2 hours"),
    ],
)
def test_time_left_is_described_plainly(left, text):
    now = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
    assert rules.describe_time_left(now + left, now) == text


def test_time_left_across_the_october_change_counts_elapsed_hours(policy):
    aware = dt.datetime(2026, 10, 24, 10, 0, tzinfo=LONDON)
    deadline = rules.notification_deadline(policy, aware)
    # On Monday 26 October at 09:00 GMT, exactly 24 elapsed hours remain.
    now = dt.datetime(2026, 10, 26, 9, 0, tzinfo=LONDON)
    assert rules.describe_time_left(deadline, now) == "1 day left"


def test_late_notification_needs_reasons():
    deadline = dt.datetime(2026, 6, 4, 12, 0, tzinfo=dt.UTC)
    late = deadline + dt.timedelta(minutes=1)
    with pytest.raises(ValidationFailed, match=r"Art\. 33\(1\)") as refused:
        rules.check_late_reason(deadline, late, "   ")
    assert refused.value.field == "late_reason"
    rules.check_late_reason(deadline, late, "The ICO's portal was down")
    rules.check_late_reason(deadline, deadline, "")  # on the deadline is in time
    rules.check_late_reason(None, late, "")


def test_hours_between_counts_whole_elapsed_hours():
    start = dt.datetime(2026, 3, 28, 10, 0, tzinfo=LONDON)
    end = dt.datetime(2026, 3, 29, 10, 0, tzinfo=LONDON)  # 23 hours: the clocks went forward
    assert rules.hours_between(start, end) == 23
    assert rules.hours_between(end, start) == 0


ALLOWED = {
    (current, target) for current, targets in rules.TRANSITIONS.items() for target in targets
}


@pytest.mark.parametrize("current", list(Status))
@pytest.mark.parametrize("target", list(Status))
def test_transitions(current, target):
    if (current, target) in ALLOWED:
        rules.check_transition(current, target)
    else:
        with pytest.raises(InvalidTransition, match="cannot be marked"):
            rules.check_transition(current, target)


def test_key_transitions():
    assert (Status.REPORTED, Status.CLOSED) not in ALLOWED  # triage first
    assert (Status.CLOSED, Status.INVESTIGATING) in ALLOWED  # reopening
    assert (Status.NOTIFIED, Status.WITHDRAWN) not in ALLOWED  # the ICO has it: close instead


TOLD = dt.datetime(2026, 6, 2, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("high", "told_at", "how", "exemption", "public", "field"),
    [
        (False, None, "", None, "", None),
        (True, TOLD, "Letter", None, "", None),
        (True, None, "Letter", None, "", "told_at"),
        (True, TOLD, " ", None, "", "told_how"),
        (True, None, "", "unintelligible", "", None),
        (True, None, "", "risk_no_longer_likely", "", None),
        (True, None, "", "disproportionate_effort", "", "public_communication"),
        (True, None, "", "disproportionate_effort", "Notice on the council website", None),
    ],
)
def test_article_34_communication(high, told_at, how, exemption, public, field):
    if field is None:
        rules.check_communication(high, told_at, how, exemption, public)
    else:
        with pytest.raises(ValidationFailed) as refused:
            rules.check_communication(high, told_at, how, exemption, public)
        assert refused.value.field == field


def test_policy_records_its_version(policy: IncidentsPolicy):
    assert policy.version
    assert len(policy.likelihood_labels) == len(policy.severity_labels) == 5
    assert "email_wrong_recipient" in policy.types
