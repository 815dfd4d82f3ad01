"""What people see of the 72-hour clocks: the incident page, the register's columns and
filters, and the IG officer's home page, for breaches in each state and a near miss."""

from __future__ import annotations

import datetime as dt

import pytest

from ig.db import utcnow
from ig.incidents.models import Kind, Status
from tests.incidents.clocks import State, make_incident
from tests.queries import statements_for_get

HOUR = dt.timedelta(hours=1)
STATES = {
    "ungraded": State(),
    "unconfirmed": State(graded=True, needs_confirmation=True),
    "confirmed_low": State(graded=True, needs_confirmation=True, confirmed=True),
    "not_notifying": State(no_notification_reason=True),
    "ico_due": State(graded=True, ico=True),
    "dhsc_due": State(graded=True, ico=True, dhsc=True, ico_sent=10),
    "near_miss": State(kind=Kind.NEAR_MISS),
    "recent": State(aware=78),
}
OVERDUE = {"ungraded", "unconfirmed", "ico_due", "dhsc_due"}


@pytest.fixture
def clocks(db, policy, team):
    """One incident in each state, aware 80 hours ago (78 for "recent"), committed."""
    base = utcnow() - 80 * HOUR
    made = {name: make_incident(db, policy, team.id, state, base) for name, state in STATES.items()}
    db.commit()
    return {name: incident.reference for name, incident in made.items()}


def shown(page, clocks):
    return {name for name, reference in clocks.items() if reference in page.text}


@pytest.mark.parametrize(
    ("name", "says", "overdue"),
    [
        ("ungraded", "Notifying the ICO: deadline passed, not yet graded", True),
        (
            "unconfirmed",
            "Notifying the ICO: deadline passed, grading below the threshold not yet confirmed",
            True,
        ),
        ("ico_due", "Notifying the ICO: deadline passed, not yet notified", True),
        ("dhsc_due", "Notifying DHSC / NHS England: deadline passed, not yet notified", True),
        ("dhsc_due", "Notifying the ICO: notified within 72 hours", True),
        ("confirmed_low", "Notifying the ICO: not required on the grading", False),
        ("not_notifying", "Notifying the ICO: not notifying, reasons recorded", False),
        ("recent", "Notifying the ICO: not yet graded", False),
        ("near_miss", "A near miss: no personal data was breached", False),
    ],
)
def test_the_incident_page_says_where_each_clock_stands(
    client, login_as, clocks, name, says, overdue
):
    login_as("ig_officer")
    page = client.get(f"/incidents/{clocks[name]}")
    assert page.status_code == 200
    assert says in page.text
    assert ("Overdue" in page.text) is overdue
    assert "not notifiable on the current grading" not in page.text
    if name in ("ungraded", "ico_due"):
        assert "72 hours from awareness ended" in page.text
        assert "(overdue by 8 hours)" in page.text
    if name == "confirmed_low":
        assert "72 hours from awareness ended" in page.text  # past, though nothing is owed
    if name == "recent":
        assert "72 hours from awareness end " in page.text
        assert "(2 days 21 hours left)" in page.text


def test_the_register_shows_breach_or_near_miss_and_the_deadline(client, login_as, clocks):
    login_as("ig_officer")
    page = client.get("/incidents/")
    assert page.status_code == 200
    assert "Breach or near miss" in page.text
    assert "72-hour deadline" in page.text
    assert "ICO: deadline passed, not yet graded" in page.text
    assert "DHSC: deadline passed, not yet notified" in page.text
    assert page.text.count(">Near miss</td>") == 1
    assert shown(page, clocks) == set(STATES)


def test_the_overdue_filter_lists_every_breach_past_a_deadline(client, login_as, clocks):
    login_as("ig_officer")
    page = client.get("/incidents/?overdue=y")
    assert shown(page, clocks) == OVERDUE
    assert page.text.count('<strong class="govuk-tag govuk-tag--red">Overdue</strong>') == 4
    assert "4 incidents" in page.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=near_miss", {"near_miss"}),
        ("kind=breach", set(STATES) - {"near_miss"}),
        ("kind=near_miss&overdue=y", set()),
        ("kind=breach&overdue=y", OVERDUE),
    ],
)
def test_the_register_filters_breaches_and_near_misses(client, login_as, clocks, query, expected):
    login_as("ig_officer")
    assert shown(client.get(f"/incidents/?{query}"), clocks) == expected


def test_an_unknown_kind_is_refused_with_a_message_and_changes_nothing(client, login_as, clocks):
    login_as("ig_officer")
    page = client.get("/incidents/?kind=lost_laptop")
    assert page.status_code == 200
    assert "Not a valid choice" in page.text
    assert shown(page, clocks) == set(STATES)  # as for any filter error: all listed


def test_the_register_page_makes_no_query_per_row(client, login_as, db, policy, team, engine):
    login_as("ig_officer")
    base = utcnow() - 80 * HOUR
    make_incident(db, policy, team.id, State(graded=True, ico=True, dhsc=True), base)
    db.commit()
    few = statements_for_get(engine, client, "/incidents/?overdue=y", selects_only=True)
    for _ in range(12):
        make_incident(db, policy, team.id, State(graded=True, ico=True, dhsc=True), base)
    db.commit()
    many = statements_for_get(engine, client, "/incidents/?overdue=y", selects_only=True)
    assert many == few


def test_the_home_page_lists_what_each_overdue_breach_waits_on(
    client, login_as, clocks, db, policy, team
):
    make_incident(
        db, policy, team.id, State(kind=None, status=Status.REPORTED, aware=None), utcnow()
    )
    db.commit()
    login_as("ig_officer")
    page = client.get("/")
    for title in (
        "Grade breaches: 72-hour deadline passed, not yet graded",
        "Confirm gradings: 72-hour deadline passed, not yet confirmed",
        "Notify the ICO: 72-hour deadline passed",
        "Notify DHSC / NHS England: 72-hour deadline passed",
    ):
        assert title in page.text
    assert page.text.count("/incidents/?overdue=y") == 4
    # Overdue work comes first, its count in red; the triage task follows in blue.
    assert page.text.index("Grade breaches") < page.text.index("Triage new incident reports")
    assert page.text.count("govuk-tag govuk-tag--red") == 4
    assert 'govuk-tag govuk-tag--blue">1<' in page.text


@pytest.mark.parametrize("role", ["staff", "siro"])
def test_only_the_ig_team_is_given_the_overdue_tasks(client, login_as, clocks, role):
    login_as(role)
    page = client.get("/")
    assert page.status_code == 200
    assert "72-hour deadline passed" not in page.text


def test_nothing_overdue_leaves_the_tasks_off(client, login_as, db, policy, team):
    make_incident(db, policy, team.id, State(kind=Kind.NEAR_MISS), utcnow() - 200 * HOUR)
    make_incident(db, policy, team.id, State(graded=True), utcnow() - 200 * HOUR)
    db.commit()
    login_as("ig_officer")
    assert "72-hour deadline passed" not in client.get("/").text


def test_an_untriaged_report_runs_its_clock_from_when_the_reporter_found_out(
    client, db, login_as, policy, make_actor, team
):
    from tests.incidents.conftest import report

    # Found out 80 hours ago (reported 78 hours ago) and never triaged: the clock is not
    # waiting for the IG team, so the report is overdue everywhere an IG officer looks.
    incident = report(db, make_actor("staff"), policy, team, now=utcnow() - 78 * HOUR)
    assert incident.deadline_at == incident.found_at + 72 * HOUR
    db.commit()
    login_as("ig_officer")
    page = client.get(f"/incidents/{incident.reference}")
    assert "Notifying the ICO: deadline passed, not yet graded" in page.text
    assert "72 hours from when the reporter found out (until triage confirms awareness)" in (
        page.text
    )
    assert incident.reference in client.get("/incidents/?overdue=y").text
