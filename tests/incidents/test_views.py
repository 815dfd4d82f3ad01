"""Incident pages: anonymous, wrong role, happy path and invalid input; queries per list page."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from ig.audit.models import AuditEntry
from ig.db import LONDON, utcnow
from ig.incidents import closure, involved
from ig.incidents.models import Incident, Status
from tests import factories
from tests.incidents.conftest import answer_ico_form, breach, report
from tests.queries import statements_for_get

HOUR = dt.timedelta(hours=1)


def reload(db, incident):
    """The incident as stored now (requests close the session, detaching test objects)."""
    return db.scalars(select(Incident).where(Incident.id == incident.id)).one()


@pytest.fixture
def recent(db, policy, make_actor, team):
    """A breach reported a few hours ago (so its deadline is still ahead), committed."""
    incident = breach(db, make_actor("staff"), make_actor("ig_officer"), policy, team, utcnow())
    db.commit()
    return incident


def date_fields(prefix, moment):
    local = moment.astimezone(LONDON)
    return {
        f"{prefix}_on": [str(local.day), str(local.month), str(local.year)],
        f"{prefix}_time": local.strftime("%H:%M"),
    }


@pytest.mark.parametrize(
    "url", ["/incidents/", "/incidents/report", "/incidents/dashboard", "/incidents/export.csv"]
)
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize(
    ("roles", "method", "path"),
    [
        (("staff",), "get", "/incidents/dashboard"),
        (("staff",), "get", "/incidents/export.csv"),
        (("staff",), "get", "/incidents/lookup"),
        (("staff",), "get", "/incidents/{ref}/triage"),
        (("staff",), "get", "/incidents/{ref}/ico-report"),
        (("manager",), "get", "/incidents/{ref}/close"),
        (("auditor",), "post", "/incidents/{ref}/triage"),
        (("auditor",), "get", "/incidents/{ref}/grade"),
        (("siro",), "post", "/incidents/{ref}/close"),
        (("administrator",), "get", "/incidents/dashboard"),
        (("staff",), "post", "/incidents/{ref}/confirm-grading"),
        (("ig_officer",), "post", "/incidents/{ref}/confirm-grading"),  # the role, not the perm
    ],
)
def test_wrong_role_is_refused(client, login_as, recent, roles, method, path):
    login_as(*roles)
    response = getattr(client, method)(path.format(ref=recent.reference))
    assert response.status_code == 403


def test_auditor_reads_but_changes_nothing(client, login_as, recent):
    login_as("auditor")
    page = client.get(f"/incidents/{recent.reference}")
    assert page.status_code == 200
    assert b"Edit record" not in page.data
    assert client.get("/incidents/report").status_code == 403


def test_staff_report_happy_path(client, login_as, db, team, policies):
    user = login_as("staff")
    db.commit()
    now = utcnow()
    data = {
        "narrative": "Sent a care plan to the wrong e-mail address",
        **date_fields("occurred", now - 3 * HOUR),
        **date_fields("found", now - 2 * HOUR),
        "team_id": str(team.id),
        "is_ongoing": "no",
    }
    response = client.post("/incidents/report", data=data)
    assert response.status_code == 302, response.data
    incident = db.scalars(select(Incident).where(Incident.reporter_id == user.id)).one()
    assert response.headers["Location"].endswith(f"/incidents/{incident.reference}")
    page = client.get(response.headers["Location"])
    assert b"Sent a care plan to the wrong e-mail address" in page.data
    assert b"The IG team has been told" in page.data
    assert b"Edit record" not in page.data
    viewed = db.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "incident.detail_viewed",
            AuditEntry.record_id == incident.reference,
        )
    ).all()
    assert len(viewed) == 1


def test_ig_team_is_told_at_once_on_the_home_page(client, login_as, db, policy, reporter, team):
    report(db, reporter, policy, team, utcnow())
    login_as("ig_officer")
    db.commit()
    page = client.get("/")
    assert b"Triage new incident reports" in page.data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"narrative": ""}, b"Describe what happened"),
        ({"occurred_time": "25:99"}, b"Enter a 24-hour time"),
        ({"occurred_on": ["31", "2", "2026"]}, b"Enter a real date"),
        ({"team_id": "999999"}, b"That team no longer exists"),
        ({"team_name": "", "team_id": ""}, b"Enter the team involved"),
        ({"team_name": "Nowhere"}, "No team matches \u201cNowhere\u201d".encode()),
        ({"team_name": "north", "team_id": ""}, b"2 match north: choose the team you mean"),
    ],
)
def test_report_invalid_input_changes_nothing(client, login_as, db, team, change, message):
    factories.make_team(db, name="Adults North")
    login_as("staff")
    db.commit()
    now = utcnow()
    data = {
        "narrative": "Paperwork left in a meeting room",
        **date_fields("occurred", now - 3 * HOUR),
        **date_fields("found", now - 2 * HOUR),
        "team_id": str(team.id),
        "is_ongoing": "no",
        **change,
    }
    before = db.scalar(select(Incident.id).order_by(Incident.id.desc()).limit(1))
    response = client.post("/incidents/report", data=data)
    assert response.status_code == 422
    assert message in response.data
    assert db.scalar(select(Incident.id).order_by(Incident.id.desc()).limit(1)) == before


def test_report_without_csrf_is_refused(client, login_as, db, team):
    login_as("staff")
    db.commit()
    response = client.post("/incidents/report", data={"narrative": "x"}, csrf=False)
    assert response.status_code == 400


def test_reporter_cannot_see_someone_elses_incident(client, login_as, recent):
    login_as("staff")
    assert client.get(f"/incidents/{recent.reference}").status_code == 404


def test_officer_triage_and_grade(client, login_as, db, policy, reporter, team):
    incident = report(db, reporter, policy, team, utcnow() - HOUR)
    login_as("ig_officer")
    db.commit()
    url = f"/incidents/{incident.reference}"
    response = client.post(
        f"{url}/triage", data={"kind": "breach", **date_fields("aware", utcnow() - HOUR)}
    )
    assert response.status_code == 302
    assert reload(db, incident).status is Status.TRIAGED
    response = client.post(f"{url}/grade", data={"likelihood": "4", "severity": "4"})
    assert response.status_code == 302
    page = client.get(url)
    assert b"Notifying the ICO: not yet notified" in page.data
    assert b"Notifying DHSC / NHS England: not yet notified" in page.data
    assert b"notify DHSC and NHS England" in page.data
    invalid = client.post(f"{url}/grade", data={"likelihood": "9", "severity": "4"})
    assert invalid.status_code == 422
    assert reload(db, incident).likelihood == 4


def test_late_notification_without_reason_is_refused_on_the_form(
    client, login_as, db, policy, team, make_actor
):
    old = utcnow() - 100 * HOUR
    incident = breach(db, make_actor("staff"), make_actor("ig_officer"), policy, team, old)
    answer_ico_form(incident)
    login_as("ig_officer")
    db.commit()
    data = {
        "regulator": "ico",
        "phase": "initial",
        **date_fields("sent", utcnow() - HOUR),
        "content": "Initial report",
    }
    url = f"/incidents/{incident.reference}/notifications/new"
    refused = client.post(url, data=data)
    assert refused.status_code == 422
    assert b"after the 72-hour deadline" in refused.data
    assert reload(db, incident).notifications == []
    accepted = client.post(url, data={**data, "late_reason": "Scope only clear on day 4"})
    assert accepted.status_code == 302
    assert reload(db, incident).status is Status.NOTIFIED


def test_closing_with_open_actions_is_refused_on_the_form(
    client, login_as, db, policy, team, make_actor
):
    officer = make_actor("ig_officer")
    incident = breach(db, make_actor("staff"), officer, policy, team, utcnow(), grade=(2, 2))
    closure.add_action(
        db, officer, incident, "Lock the cabinet", officer.user_id, dt.date(2030, 1, 1), utcnow()
    )
    login_as("ig_officer")
    db.commit()
    response = client.post(
        f"/incidents/{incident.reference}/close",
        data={"root_cause": "Unlocked cabinet", "lessons_learned": "Lock it"},
    )
    assert response.status_code == 409
    assert b"action(s) still open" in response.data
    assert reload(db, incident).status is Status.TRIAGED


@pytest.mark.parametrize(
    "suffix", ["", "/ico-report", "/print", "/details", "/grade", "/actions/new", "/communication"]
)
def test_officer_pages_render(client, login_as, db, recent, suffix):
    login_as("ig_officer")
    db.commit()
    response = client.get(f"/incidents/{recent.reference}{suffix}")
    assert response.status_code == 200


def test_ico_report_follows_the_form_order(client, login_as, db, recent):
    login_as("ig_officer")
    db.commit()
    html = client.get(f"/incidents/{recent.reference}/ico-report").data.decode()
    sections = [
        "Part 1 of 6: About your report",
        "Part 2 of 6: About the breach",
        "Part 3 of 6: Personal data and the people affected",
        "Part 4 of 6: Cyber incidents",
        "Part 5 of 6: Taking action",
        "Part 6 of 6: About your organisation",
    ]
    positions = [html.index(section) for section in sections]
    assert positions == sorted(positions)


def test_lookup_finds_earlier_incidents(client, login_as, db, recent, make_actor):
    involved.add_affected_person(db, make_actor("ig_officer"), recent, "CS-1", "", "", utcnow())
    login_as("ig_officer")
    db.commit()
    found = client.post("/incidents/lookup", data={"identifier": "cs-1"})
    assert recent.reference.encode() in found.data
    missing = client.post("/incidents/lookup", data={"identifier": ""})
    assert missing.status_code == 422


def test_csv_export(client, login_as, db, recent):
    login_as("auditor")
    db.commit()
    response = client.get("/incidents/export.csv?status=triaged")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert recent.reference in response.data.decode()


def _register_queries(client, db, path):
    db.commit()
    client.get(path)  # warm up (sign-in checks, caches)
    return statements_for_get(db.get_bind().engine, client, path)


@pytest.mark.parametrize(
    "path", ["/incidents/", "/incidents/?status=triaged&sort=deadline", "/incidents/dashboard"]
)
def test_list_pages_make_no_query_per_row(client, login_as, db, policy, team, make_actor, path):
    reporter, officer = make_actor("staff"), make_actor("ig_officer")
    login_as("ig_officer")
    for _ in range(2):
        breach(db, reporter, officer, policy, team, utcnow())
    few = _register_queries(client, db, path)
    other = factories.make_team(db)
    for _ in range(10):
        breach(db, reporter, officer, policy, other, utcnow())
    assert _register_queries(client, db, path) == few
    assert few <= 12


def test_officer_records_details_people_actions_and_communication(client, login_as, db, recent):
    user = login_as("ig_officer")
    db.commit()
    url = f"/incidents/{recent.reference}"
    details = {
        "version": str(recent.version),
        "incident_type": "failure_to_redact",
        "cia": ["confidentiality"],
        "is_cyber": "no",
        "is_vulnerable": "yes",
        "is_ongoing": "no",
        "data_categories": ["health", "criminal"],
        "people_categories": ["children"],
        "people_count": "2",
        "records_count": "5",
        "containment": "Recipient deleted the file",
    }
    assert client.post(f"{url}/details", data=details).status_code == 302
    stale = client.post(f"{url}/details", data={**details, "people_count": "3"})
    assert stale.status_code == 409  # the form was loaded from an older version
    assert b"Someone else changed this record" in stale.data
    person = {"identifier": "CS-777", "name": "Robin Example", "note": "Named in the report"}
    assert client.post(f"{url}/people", data=person).status_code == 302
    action = {
        "description": "Redaction refresher",
        "owner_id": str(user.id),
        "due_on": ["1", "12", "2030"],
        "course_code": "",
    }
    assert client.post(f"{url}/actions/new", data=action).status_code == 302
    told = {"is_high_risk": "yes", "exemption": "unintelligible"}
    assert client.post(f"{url}/communication", data=told).status_code == 302
    page = client.get(url).data.decode()
    assert "Failure to redact data" in page
    assert "Robin Example" in page
    assert "Redaction refresher" in page
    assert "Data unintelligible to others" in page
    bad = client.post(f"{url}/communication", data={"is_high_risk": "yes", "exemption": ""})
    assert bad.status_code == 422
    assert b"Enter when the people affected were told" in bad.data


def test_register_filter_with_a_bad_date_says_so(client, login_as, db, recent):
    login_as("ig_officer")
    db.commit()
    response = client.get("/incidents/?date_from=31&date_from=2&date_from=2026&status=triaged")
    assert response.status_code == 200
    assert b"Enter a real date" in response.data
    assert b'value="31"' in response.data  # what was typed is shown again
