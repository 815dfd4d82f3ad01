"""The processing-activity API: the record and one activity as JSON, behind processing.read."""

from __future__ import annotations

import pytest

from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.db import utcnow
from ig.processing.rules import Role
from tests.factories import make_asset, make_organisation, make_user
from tests.processing.data import make_activity


@pytest.fixture
def bearer(db):
    def make(*roles):
        user = make_user(db, roles=roles)
        _token, raw = tokens.create_token(db, SYSTEM, user, "test", utcnow())
        db.commit()
        return {"Authorization": f"Bearer {raw}"}

    return make


def test_the_list_needs_processing_read(client, bearer):
    assert client.get("/api/v1/processing-activities").status_code == 401
    assert client.get("/api/v1/processing-activities", headers=bearer("staff")).status_code == 403


def test_the_list_filters_by_role_and_never_carries_encrypted_text(client, bearer, db):
    owner = make_user(db)
    trust = make_organisation(db, kind="nhs_trust", code="RAP", name="North Trust")
    make_activity(db, owner, purpose="Secret purpose")
    make_activity(db, owner, name="Discharge", role=Role.PROCESSOR, controllers=(trust.code,))
    headers = bearer("auditor")
    body = client.get("/api/v1/processing-activities", headers=headers).get_json()
    assert [i["name"] for i in body["items"]] == ["Adult social care case management"]
    assert "Secret purpose" not in str(body)
    body = client.get("/api/v1/processing-activities?role=processor", headers=headers).get_json()
    assert body["items"][0]["controllers"][0]["code"] == "RAP"
    bad = client.get("/api/v1/processing-activities?consent=maybe", headers=headers)
    assert bad.status_code == 422


def test_one_activity_with_its_assets(client, bearer, db):
    make_asset(db, name="Mosaic case records")
    activity = make_activity(db, make_user(db), assets=("Mosaic case records",))
    headers = bearer("ig_officer")
    body = client.get(f"/api/v1/processing-activities/{activity.id}", headers=headers).get_json()
    assert body["information_assets"] == ["Mosaic case records"]
    assert body["schedule_1_condition"] == "health_social_care"
    assert "purpose" not in body
    missing = client.get("/api/v1/processing-activities/999999", headers=headers)
    assert missing.status_code == 404
