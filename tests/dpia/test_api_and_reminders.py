"""The DPIA API (list and record, never encrypted text), the review reminders and home tasks."""

from __future__ import annotations

import datetime as dt

from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.auth.service import actor_for
from ig.db import utcnow
from ig.dpia import service, signoff
from ig.dpia.tasks import dpia_tasks
from ig.reminders.engine import run_pass
from tests.dpia.conftest import HIGH, LOW, NOW, make_dpia, officer, siro
from tests.factories import make_user
from tests.reminders.test_engine import about, at


def bearer(db, *roles):
    user = make_user(db, roles=roles)
    _token, raw = tokens.create_token(db, SYSTEM, user, "test", utcnow())
    db.commit()
    return {"Authorization": f"Bearer {raw}"}


def test_api_lists_and_reads_dpias_without_their_text(client, db, policies):
    dpia_id = make_dpia(db, policies.dpia, officer(db), title="API DPIA", risks=(HIGH,))
    headers = bearer(db, "auditor")
    listed = client.get("/api/v1/dpias?residual=high", headers=headers)
    assert listed.status_code == 200
    assert [item["title"] for item in listed.json["items"]] == ["API DPIA"]
    one = client.get(f"/api/v1/dpias/{dpia_id}", headers=headers)
    assert one.json["highest_residual_risk"] == "high"
    assert one.json["risks"][0]["residual_score"] == 9
    assert "Recording visits" not in one.get_data(as_text=True)
    assert client.get("/api/v1/dpias/99999999", headers=headers).status_code == 404
    assert client.get("/api/v1/dpias?status=bogus", headers=headers).status_code == 422


def test_api_needs_dpia_read(client, db):
    assert client.get("/api/v1/dpias", headers=bearer(db, "staff")).status_code == 403


def test_an_overdue_review_reminds_the_owner_and_is_a_home_task(db, policies):
    by, owner = officer(db), make_user(db, roles=("ig_officer",))
    dpia_id = make_dpia(db, policies.dpia, by, risks=(LOW,), submit=True, owner_id=owner.id)
    version = service.get_dpia(db, dpia_id).version
    dpia = signoff.sign_off_dpia(db, siro(db), policies.dpia, dpia_id, version, NOW)
    run_pass(db, policies.reminders, at(dpia.review_on - dt.timedelta(days=40)))
    assert about(db, "dpia", dpia_id) == []
    run_pass(db, policies.reminders, at(dpia.review_on + dt.timedelta(days=1)))
    assert [r.recipient_user_id for r in about(db, "dpia", dpia_id)] == [owner.id]
    dpia.review_on = dt.date(2020, 1, 1)  # overdue today, whenever the test runs
    db.flush()
    (task,) = dpia_tasks(db, actor_for(owner, policies))
    assert task.is_overdue
    assert task.count == 1
    assert dpia_tasks(db, actor_for(make_user(db, roles=("auditor",)), policies)) == []


def test_a_signer_is_asked_to_sign_off_others_dpias(db, policies):
    make_dpia(db, policies.dpia, officer(db), risks=(LOW,), submit=True)
    signer = actor_for(make_user(db, roles=("siro",)), policies)
    assert [t.title for t in dpia_tasks(db, signer)] == ["Sign off DPIAs"]
