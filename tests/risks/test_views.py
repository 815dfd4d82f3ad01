"""The risk register's pages: who may see them, the record's heat map and history, the
forms to record, review, act on and close a risk, and their refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from ig.db import london_today
from ig.risks.models import Risk
from tests.queries import statements_for_get
from tests.risks.conftest import make_risk

LONG_AGO = dt.datetime(2024, 1, 10, 10, tzinfo=dt.UTC)
NEW_RISK = {
    "title": "Ransomware attack on the case management system",
    "category": "cyber",
    "cause": "Phishing and unpatched remote access",
    "effect": "Case records unavailable for days",
    "controls": "Immutable backups",
    "likelihood": "3",
    "impact": "5",
    "target_likelihood": "2",
    "target_impact": "4",
}


def parts(day):
    return [str(day.day), str(day.month), str(day.year)]


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 403), ("siro", 200), ("auditor", 200)],
)
def test_register_permissions(client, login_as, role, status):
    assert client.get("/risks/").status_code == 302  # not signed in
    login_as(role)
    assert client.get("/risks/").status_code == status
    assert client.get("/api/v1/risks").status_code in (401, 403)  # a session is not a token


def test_the_auditor_reads_but_cannot_change(client, login_as, db):
    risk = make_risk(db)
    login_as("auditor")
    assert client.get(f"/risks/{risk.id}").status_code == 200
    assert client.get("/risks/new").status_code == 403
    assert client.post("/risks/new", data=NEW_RISK).status_code == 403
    assert client.get(f"/risks/{risk.id}/review").status_code == 403
    assert client.post(f"/risks/{risk.id}/close", data={"reason": "x"}).status_code == 403
    assert client.post(f"/risks/{risk.id}/links", data={"kind": "asset"}).status_code == 403


def test_register_lists_overdue_and_highest_first_in_few_queries(client, login_as, db, engine):
    login_as("siro")
    make_risk(db, likelihood=2, impact=2, title="Low risk")
    make_risk(db, likelihood=5, impact=4, title="High risk")
    make_risk(db, likelihood=1, impact=1, title="Overdue risk", now=LONG_AGO)
    page = client.get("/risks/").get_data(as_text=True)
    assert page.index("Overdue risk") < page.index("High risk") < page.index("Low risk")
    assert "Review overdue" in page
    few = statements_for_get(engine, client, "/risks/", selects_only=True)
    for number in range(5):
        make_risk(db, title=f"More {number}")
    assert statements_for_get(engine, client, "/risks/", selects_only=True) <= few
    filtered = client.get("/risks/?overdue=y&sort=title").get_data(as_text=True)
    assert "Overdue risk" in filtered
    assert "High risk" not in filtered
    assert client.get("/risks/?sort=nonsense&status=x").status_code == 200


def test_record_review_act_and_close_a_risk(client, login_as, db):
    officer = login_as("ig_officer")
    refused = client.post(
        "/risks/new", data={**NEW_RISK, "owner_user_id": str(officer.id), "title": ""}
    )
    assert refused.status_code == 422
    assert b"Enter the risk&#39;s title" in refused.data
    response = client.post("/risks/new", data={**NEW_RISK, "owner_user_id": str(officer.id)})
    assert response.status_code == 302, response.data
    risk = db.scalar(select(Risk).where(Risk.title == NEW_RISK["title"]))
    page = client.get(f"/risks/{risk.id}").get_data(as_text=True)
    assert "Heat map" in page
    assert "<strong>Now</strong>" in page
    assert "<strong>Target</strong>" in page
    assert "Score 15 High" in page

    today = london_today()
    review = {"version": str(risk.version), "reviewed_on": parts(today), "likelihood": "2"}
    review |= {"impact": "5", "note": "Backups tested"}
    bad = client.post(f"/risks/{risk.id}/review", data={**review, "likelihood": "9"})
    assert bad.status_code == 422
    assert client.post(f"/risks/{risk.id}/review", data=review).status_code == 302
    action = {"description": "Patch the VPN", "owner_user_id": str(officer.id)}
    action["due_on"] = parts(today)
    assert client.post(f"/risks/{risk.id}/actions/new", data=action).status_code == 302
    page = client.get(f"/risks/{risk.id}").get_data(as_text=True)
    assert "Backups tested" in page
    assert "Score 10 High" in page
    assert "Patch the VPN" in page

    db.expire_all()
    version = str(db.get(Risk, risk.id).version)
    close = {"version": version, "closed_on": parts(today), "reason": "System replaced"}
    assert client.post(f"/risks/{risk.id}/close", data=close).status_code == 302
    assert "Closed" in client.get(f"/risks/{risk.id}").get_data(as_text=True)
    assert client.get(f"/risks/{risk.id}/review").status_code == 409


def test_forms_refuse_a_post_without_csrf(client, login_as, db):
    officer = login_as("ig_officer")
    response = client.post(
        "/risks/new", csrf=False, data={**NEW_RISK, "owner_user_id": str(officer.id)}
    )
    assert response.status_code in (400, 422)
    assert db.scalar(select(Risk)) is None
