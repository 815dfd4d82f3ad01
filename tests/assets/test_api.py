"""The asset API: the register and one asset as JSON, behind assets.read."""

from __future__ import annotations

import datetime as dt

import pytest

from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.db import utcnow
from tests.factories import make_asset, make_organisation, make_user


@pytest.fixture
def bearer(db):
    def make(*roles):
        user = make_user(db, roles=roles)
        _token, raw = tokens.create_token(db, SYSTEM, user, "test", utcnow())
        db.commit()
        return {"Authorization": f"Bearer {raw}"}

    return make


def test_the_list_needs_assets_read(client, bearer):
    assert client.get("/api/v1/assets").status_code == 401
    assert client.get("/api/v1/assets", headers=bearer("staff")).status_code == 403


def test_the_list_filters_and_puts_overdue_first(client, bearer, db):
    headers = bearer("auditor")
    make_asset(db, name="Current", now=utcnow())
    old = make_asset(db, name="Old", now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    body = client.get("/api/v1/assets", headers=headers).json
    assert [item["name"] for item in body["items"]] == ["Old", "Current"]
    assert body["items"][0]["confirmation"] == "overdue"
    overdue = client.get("/api/v1/assets?overdue=true", headers=headers).json
    assert [item["id"] for item in overdue["items"]] == [old.id]
    assert client.get("/api/v1/assets?q=curr", headers=headers).json["total"] == 1
    assert client.get("/api/v1/assets?criticality=extreme", headers=headers).status_code == 422
    assert client.get("/api/v1/assets?colour=red", headers=headers).status_code == 422


def test_one_asset_without_its_encrypted_text(client, bearer, db):
    headers = bearer("ig_officer")
    make_organisation(db, name="Mosaic Ltd", code="MOS1")
    asset = make_asset(db, suppliers=("MOS1",), description="Case notes about Ada")
    body = client.get(f"/api/v1/assets/{asset.id}", headers=headers).json
    assert body["special_categories"] == ["health"]
    assert body["suppliers"][0]["code"] == "MOS1"
    assert "Ada" not in str(body)
    assert client.get("/api/v1/assets/999999", headers=headers).status_code == 404
    assert client.get("/api/v1/assets/abc", headers=headers).status_code == 404
