"""The ICO report page and the forms behind it: six parts, no blank answer, training as at
the incident, the organisation from policy; the forms' refusals in the GOV.UK summary."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from sqlalchemy import select

from ig.db import LONDON, utcnow
from ig.incidents import involved
from ig.incidents.demo import load_incidents_demo
from ig.incidents.models import Incident, Status
from tests import factories
from tests.incidents.conftest import NOW, answer_ico_form, breach

HOUR = dt.timedelta(hours=1)
PARTS = [
    "Part 1 of 6: About your report",
    "Part 2 of 6: About the breach",
    "Part 3 of 6: Personal data and the people affected",
    "Part 4 of 6: Cyber incidents",
    "Part 5 of 6: Taking action",
    "Part 6 of 6: About your organisation",
]
ROW = re.compile(
    r'<dt class="govuk-summary-list__key">(.*?)</dt>\s*'
    r'<dd class="govuk-summary-list__value">(.*?)</dd>',
    re.S,
)


def answers(page: str) -> dict[str, str]:
    """Each question of the report and its answer as text."""
    return {
        html.unescape(q.strip()): html.unescape(re.sub(r"<[^>]+>", " ", a)).strip()
        for q, a in ROW.findall(page)
    }


def reload(db, incident):
    return db.scalars(select(Incident).where(Incident.id == incident.id)).one()


def test_a_demo_notified_incident_answers_every_question(client, login_as, db, policy, make_actor):
    now = utcnow()
    load_incidents_demo(
        db, policy, make_actor("staff"), make_actor("ig_officer"), make_actor("siro"), now
    )
    notified = db.scalars(select(Incident).where(Incident.first_notified_at.is_not(None))).all()
    assert len(notified) == 5
    login_as("ig_officer")
    db.commit()
    for incident in notified:
        page = client.get(f"/incidents/{incident.reference}/ico-report").data.decode()
        positions = [page.index(part) for part in PARTS]
        assert positions == sorted(positions)
        found = answers(page)
        assert len(found) >= 30
        blank = [q for q, a in found.items() if not a or a == "Not recorded"]
        assert blank == [], incident.reference
        # The demo team answered everything but training, whose staff the demo
        # cannot link without the training demo's staff.
        unknown = [q for q, a in found.items() if a.startswith("Not yet known")]
        assert unknown == [
            "Had the staff involved had data protection training in the last two years?"
        ], incident.reference
        assert found["Organisation name"] == "Eastmere Borough Council"
        assert found["ICO registration number"] == "Z1234567"
        assert "dpo@eastmere.example" in found["Data protection officer"]
        assert found["Have you reported this breach to the ICO before?"] == "No"
        assert "Severity" not in page.split("Part 1 of 6")[0]  # DHSC recorded: no flag


def test_an_unanswered_incident_says_not_yet_known(client, login_as, db, policy, make_actor, team):
    incident = breach(db, make_actor("staff"), make_actor("ig_officer"), policy, team, utcnow())
    login_as("ig_officer")
    db.commit()
    found = answers(client.get(f"/incidents/{incident.reference}/ico-report").data.decode())
    assert all(found.values())
    for question in (
        "How did you find out about the breach?",
        "Likelihood that data subjects will experience significant consequences",
        "Measures in place before the breach to prevent one of this kind",
        "Had the staff involved received detailed guidance?",
        "Have you reported this breach to the ICO before?",
        "Approximate number of data subjects affected",
    ):
        assert found[question] == "Not yet known", question
    assert found["What is the impact on your organisation?"] == (
        "Not applicable: not a cyber incident"
    )


def test_training_comes_from_the_register_as_at_the_incident(
    client, login_as, db, policy, make_actor, team
):
    officer = make_actor("ig_officer")
    incident = breach(db, make_actor("staff"), officer, policy, team, utcnow())
    day = incident.occurred_at.astimezone(LONDON).date()
    trained = factories.make_staff(db, team=team, name="Ada Trained")
    lapsed = factories.make_staff(db, team=team, name="Bo Lapsed")
    factories.make_completion(db, trained, "DSA", day - dt.timedelta(days=300))
    factories.make_completion(db, lapsed, "DSA", day - dt.timedelta(days=800))
    # Completed after the incident: the register as at the incident does not count it.
    factories.make_completion(db, lapsed, "IGF", day + dt.timedelta(days=1))
    for person in (trained, lapsed):
        involved.add_staff(db, officer, incident, person.staff_number, utcnow())
    login_as("ig_officer")
    db.commit()
    found = answers(client.get(f"/incidents/{incident.reference}/ico-report").data.decode())
    training = found["Had the staff involved had data protection training in the last two years?"]
    assert training.startswith("No (from the training register on")
    assert "Ada Trained: Data security awareness, completed" in training
    assert "Bo Lapsed: no data protection training completed in the two years before" in training


def date_fields(prefix, day):
    return {f"{prefix}_on": [str(day.day), str(day.month), str(day.year)]}


def sent_fields():
    local = (utcnow() - HOUR).astimezone(LONDON)
    return {
        "regulator": "ico",
        "phase": "initial",
        **date_fields("sent", local.date()),
        "sent_time": local.strftime("%H:%M"),
        "content": "Initial report",
    }


@pytest.fixture
def fresh(db, policy, make_actor, team):
    staff, officer = make_actor("staff"), make_actor("ig_officer")
    return breach(db, staff, officer, policy, team, utcnow() - 2 * HOUR)


def test_the_notification_form_says_what_is_missing_when_the_type_is_unset(
    client, login_as, db, fresh
):
    login_as("ig_officer")
    db.commit()
    url = f"/incidents/{fresh.reference}/notifications/new"
    response = client.post(url, data=sent_fields())
    assert response.status_code == 409
    page = response.data.decode()
    assert "govuk-error-summary" in page
    assert "A notification cannot be recorded yet: record the type of incident" in page
    again = reload(db, fresh)
    assert again.notifications == []
    assert again.status is Status.TRIAGED


def test_the_notification_form_lists_missing_answers_and_takes_not_yet_known(
    client, login_as, db, fresh
):
    fresh.incident_type = "email_wrong_recipient"
    login_as("ig_officer")
    db.commit()
    url = f"/incidents/{fresh.reference}/notifications/new"
    shown = client.get(url).data.decode()
    assert "How did you find out about the breach?" in shown.split('id="missing-answers"')[1]
    refused = client.post(url, data=sent_fields())
    assert refused.status_code == 422
    page = html.unescape(refused.data.decode())
    assert "govuk-error-summary" in page
    assert "The ICO's form needs these answers: How did you find out" in page
    assert reload(db, fresh).notifications == []

    ticked = {**sent_fields(), "not_yet_known": ["discovery", "people_count"]}
    still = client.post(url, data=ticked)
    assert still.status_code == 422
    assert b"Potential consequences" in still.data
    answer_ico_form(reload(db, fresh))
    again = reload(db, fresh)
    again.discovery = again.people_count = None
    db.commit()
    no_date = client.post(url, data=ticked)
    assert no_date.status_code == 422
    assert b"Enter when the ICO will be sent the answers not yet known" in no_date.data
    due = NOW.date().replace(year=utcnow().year + 1)
    accepted = client.post(url, data={**ticked, **date_fields("follow_up", due)})
    assert accepted.status_code == 302
    stored = reload(db, fresh)
    assert stored.status is Status.NOTIFIED
    assert stored.unknown_answers == ["discovery", "people_count"]
    assert stored.ico_follow_up_on == due
    report = client.get(f"/incidents/{fresh.reference}/ico-report").data.decode()
    assert 'id="ico-follow-up"' in report


def test_the_record_form_refuses_a_phishing_incident_that_is_not_cyber(client, login_as, db, fresh):
    login_as("ig_officer")
    db.commit()
    response = client.post(
        f"/incidents/{fresh.reference}/details",
        data={
            "incident_type": "phishing",
            "cia": ["confidentiality"],
            "is_cyber": "no",
            "is_vulnerable": "no",
            "is_ongoing": "no",
            "significant_likelihood": "likely",
        },
    )
    assert response.status_code == 422
    page = html.unescape(response.data.decode())
    assert "govuk-error-summary" in page
    assert "Phishing is a cyber incident: answer yes to “Is it a cyber incident?”" in page
    stored = reload(db, fresh)
    assert stored.incident_type is None
    assert stored.significant_likelihood is None


def test_the_record_form_saves_the_new_answers(client, login_as, db, fresh):
    login_as("ig_officer")
    db.commit()
    response = client.post(
        f"/incidents/{fresh.reference}/details",
        data={
            "incident_type": "ransomware",
            "cia": ["availability"],
            "is_cyber": "yes",
            "is_vulnerable": "no",
            "is_ongoing": "no",
            "significant_likelihood": "neutral",
            "org_impact": "medium",
            "recovery_time": "supplemented",
            "preventative_measures": "Offline backups",
            "staff_guidance": "not_known",
            "reported_before": "yes",
            "reported_before_detail": "Rang the ICO helpline",
        },
    )
    assert response.status_code == 302
    found = answers(client.get(f"/incidents/{fresh.reference}/ico-report").data.decode())
    assert found["Likelihood that data subjects will experience significant consequences"] == (
        "Neutral: neither likely nor unlikely"
    )
    assert found["What is the impact on your organisation?"].startswith("Medium")
    assert found["What recovery time do you estimate?"].startswith("Supplemented")
    assert found["Had the staff involved received detailed guidance?"] == "Not yet known"
    assert "Rang the ICO helpline" in found["Have you reported this breach to the ICO before?"]


def test_a_made_up_answer_is_refused(client, login_as, db, fresh):
    login_as("ig_officer")
    db.commit()
    response = client.post(
        f"/incidents/{fresh.reference}/details",
        data={
            "incident_type": "email_wrong_recipient",
            "cia": ["confidentiality"],
            "is_cyber": "no",
            "is_vulnerable": "no",
            "is_ongoing": "no",
            "significant_likelihood": "certain",
        },
    )
    assert response.status_code == 422
    assert b"Choose one of the answers listed" in response.data
    assert reload(db, fresh).incident_type is None


def test_the_report_flags_dhsc_severity_without_a_notification_or_reason(
    client, login_as, db, policy, make_actor, team
):
    officer = make_actor("ig_officer")
    incident = breach(db, make_actor("staff"), officer, policy, team, utcnow(), grade=(4, 4))
    login_as("ig_officer")
    db.commit()
    page = client.get(f"/incidents/{incident.reference}/ico-report").data.decode()
    warning = "Severity 4 is at the DHSC / NHS England threshold (4)"
    assert warning in page
    assert page.index(warning) < page.index("Part 1 of 6")


def test_recording_the_ico_notification_at_dhsc_severity_warns_of_the_missing_dhsc_one(
    client, login_as, db, policy, make_actor, team
):
    officer = make_actor("ig_officer")
    incident = breach(db, make_actor("staff"), officer, policy, team, utcnow() - 2 * HOUR, (4, 4))
    answer_ico_form(incident)
    login_as("ig_officer")
    db.commit()
    response = client.post(
        f"/incidents/{incident.reference}/notifications/new",
        data=sent_fields(),
        follow_redirects=True,
    )
    assert response.status_code == 200
    page = html.unescape(response.data.decode())
    assert "Notification recorded. Severity 4 is at the DHSC / NHS England threshold" in page
    assert reload(db, incident).status is Status.NOTIFIED
