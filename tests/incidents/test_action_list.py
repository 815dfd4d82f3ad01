"""The list of incidents' actions: who may open it, and two queries a page."""

from __future__ import annotations

import datetime as dt

from ig.incidents import closure
from ig.incidents.action_list import ActionFilter, list_actions
from tests.incidents.conftest import breach
from tests.queries import counting

NOW = dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC)


def test_a_page_of_actions_takes_two_queries_with_its_incidents(
    db, engine, reporter, officer, policy, team
):
    incident = breach(db, reporter, officer, policy, team, NOW)
    for day in (3, 1, 2):
        due = dt.date(2026, 5, day)
        closure.add_action(db, officer, incident, "Retrain", officer.user_id, due, NOW)
    db.flush()
    with counting(engine, selects_only=True) as statements:
        page = list_actions(db, ActionFilter(overdue_on=dt.date(2026, 5, 2)))
    assert len(statements) == 2
    assert page.total == 2
    assert [row.due_on.day for row in page.rows] == [1, 2]
    assert {row.reference for row in page.rows} == {incident.reference}


def test_the_list_is_for_those_who_read_every_incident(client, login_as):
    login_as("staff")
    assert client.get("/incidents/actions").status_code == 403
    login_as("ig_officer")
    response = client.get("/incidents/actions?overdue_on=31&overdue_on=2&overdue_on=2026")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Enter a real date, like 27 3 2026" in page
    assert "(0 in all)" in page
