"""The incidents section as recorded then: a type, a withdrawal and an accepted action
recorded after the period leave a past report's figures as they were."""

from __future__ import annotations

import datetime as dt

from ig.audit.recorded import day_end
from ig.feature import ReportPeriod
from ig.incidents import closure, service
from ig.incidents.figures import incidents_section
from tests.incidents.conftest import breach

START, END = dt.date(2026, 4, 1), dt.date(2026, 6, 30)
THEN = ReportPeriod(START, END, day_end(END))
NOW_KNOWN = ReportPeriod(START, END, None)


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 10, tzinfo=dt.UTC)


def details(incident_type: str) -> service.Details:
    return service.Details(
        incident_type, True, False, False, False, False, False, [], [], None, None, "", "", "",
        "", "",
    )  # fmt: skip


def values(db, policies, period):
    return {f.key: f.value for f in incidents_section(db, policies, period).figures}


def test_facts_changed_after_the_period_keep_a_past_report_and_move_the_current_one(
    db, policies, policy, reporter, officer, team
):
    first, second = [code for code in policy.types if code not in policy.cyber_types][:2]
    typed = breach(db, reporter, officer, policy, team, at(4, 10))
    service.update_details(db, officer, policy, typed, details(first), None, at(4, 11))
    closure.add_action(
        db, officer, typed, "Recall the letter", officer.user_id, dt.date(2026, 5, 1), at(4, 11)
    )
    withdrawn = breach(db, reporter, officer, policy, team, at(5, 1))
    before = values(db, policies, THEN)

    # After the period: the type corrected, the report withdrawn, the action accepted.
    service.update_details(db, officer, policy, typed, details(second), None, at(7, 10))
    closure.withdraw_incident(db, officer, withdrawn, "Not a breach after all", at(7, 12))
    closure.accept_action(db, officer, typed, typed.actions[0].id, "Letter destroyed", at(7, 15))

    assert values(db, policies, THEN) == before
    assert (before["incidents.reported"], before[f"incidents.type.{first}"]) == (2, 1)
    assert before["incidents.actions_overdue"] == 1
    known = values(db, policies, NOW_KNOWN)
    assert known["incidents.reported"] == 1
    assert (known[f"incidents.type.{first}"], known[f"incidents.type.{second}"]) == (0, 1)
    assert known["incidents.actions_overdue"] == 0


def test_each_action_is_read_as_recorded_on_its_own_incident(
    db, policies, policy, reporter, officer, team
):
    """Two incidents with an overdue action each; the second's accepted after the period:
    as recorded then both were overdue (each action's entries are looked up on its own
    incident, not the first one found)."""
    incidents = []
    for day in (10, 12):
        incident = breach(db, reporter, officer, policy, team, at(4, day))
        closure.add_action(
            db, officer, incident, "Recall the letter", officer.user_id, dt.date(2026, 5, 1),
            at(4, day),
        )  # fmt: skip
        incidents.append(incident)
    later = incidents[1]
    closure.accept_action(db, officer, later, later.actions[0].id, "Letter destroyed", at(7, 15))

    assert values(db, policies, THEN)["incidents.actions_overdue"] == 2
    assert values(db, policies, NOW_KNOWN)["incidents.actions_overdue"] == 1
