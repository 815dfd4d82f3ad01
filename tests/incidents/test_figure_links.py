"""Each figure of the incidents section links to exactly the incidents it counts."""

from __future__ import annotations

import datetime as dt

from ig.feature import ReportPeriod
from ig.incidents import closure, notify
from ig.incidents.figures import incidents_section
from ig.incidents.notification_models import Phase, Regulator
from tests.committing import commit_before_requests
from tests.figure_links import check_links
from tests.incidents.conftest import answer_ico_form, breach, report

PERIOD = ReportPeriod(dt.date(2026, 4, 1), dt.date(2026, 6, 30), None)


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 10, tzinfo=dt.UTC)


def _notify(db, officer, incident, hours: int) -> None:
    answer_ico_form(incident)
    sent = incident.aware_at + dt.timedelta(hours=hours)
    late = "Waiting for the team's account" if hours > 72 else ""
    notify.record_notification(
        db, officer, incident, Regulator.ICO, Phase.INITIAL, sent, "", "Form", late, sent
    )


def test_every_linked_figure_lists_exactly_its_incidents(
    app, client, db, login_as, policies, policy, reporter, officer, team
):
    on_time = breach(db, reporter, officer, policy, team, at(4, 10))
    _notify(db, officer, on_time, 10)
    late = breach(db, reporter, officer, policy, team, at(5, 1))
    _notify(db, officer, late, 80)
    withdrawn = report(db, reporter, policy, team, at(5, 5))
    closure.withdraw_incident(db, officer, withdrawn, "Reported twice", at(5, 6))
    breach(db, reporter, officer, policy, team, at(2, 1))  # before the period, still open
    breach(db, reporter, officer, policy, team, at(6, 28), grade=None)
    report(db, reporter, policy, team, at(7, 5))  # after the period
    for due, done in ((6, None), (5, 6), (6, 7), (7, None)):  # overdue: the first and third
        action = closure.add_action(
            db, officer, late, "Retrain", officer.user_id, at(due, 1).date(), at(5, 2)
        )
        if done:
            closure.complete_action(db, officer, late, action.id, at(done, 2).date(), at(done, 2))
    accepted = closure.add_action(
        db, officer, late, "Audit", officer.user_id, at(5, 3).date(), at(5, 2)
    )
    closure.accept_action(db, officer, late, accepted.id, "Not needed", at(5, 4))
    retired = report(db, reporter, policy, team, at(6, 1))
    retired.incident_type = "fax_misdirected"  # a type the policy no longer lists
    db.flush()

    section = incidents_section(db, policies, PERIOD)
    values = {figure.key: figure.value for figure in section.figures}
    assert values["incidents.reported"] == 4
    assert values["incidents.notified_late"] == 1
    assert values["incidents.open.3"] == 1  # reported in February
    assert values["incidents.type.none"] == 2  # June's ungraded breach and retired type
    assert values["incidents.actions_overdue"] == 2

    checked = check_links(
        commit_before_requests(client, db), login_as, policies, section,
        bases={"incidents.hours_to_notify": "incidents.reported_to_ico"},
    )  # fmt: skip
    assert set(checked) == {f.key for f in section.figures}
