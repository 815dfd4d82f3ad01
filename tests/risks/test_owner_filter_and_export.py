"""The risk register's owner filter (a picker among the risks' owners) and its CSV."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from ig.audit.models import AuditEntry
from ig.auth.rules import Actor
from ig.errors import PermissionDenied
from ig.risks import register
from tests.factories import make_user
from tests.risks.conftest import NOW, POLICY, make_risk


@pytest.fixture
def owners(db):
    ada, bo = make_user(db, name="Ada Lovelace"), make_user(db, name="Bo Diddley")
    make_risk(db, owner=ada, title="=HYPERLINK(1)")
    make_risk(db, owner=ada, title="Laptops left unlocked")
    make_risk(db, owner=bo, title="Fax to the wrong number")
    return ada, bo


def test_the_owner_picker_filters_the_register_and_offers_owners_only(client, login_as, db, owners):
    ada, _bo = owners
    make_user(db, name="Adam Owns-Nothing")
    login_as("auditor")
    page = client.get(f"/risks/?owner={ada.id}").get_data(as_text=True)
    assert "Laptops left unlocked" in page
    assert "Fax to the wrong number" not in page
    typed = client.get("/risks/?owner_name=Bo+Didd").get_data(as_text=True)
    assert "Fax to the wrong number" in typed
    assert "Laptops left unlocked" not in typed
    offered = [found["name"] for found in client.get("/risks/owners/search?q=Ada").get_json()]
    assert len(offered) == 1
    assert offered[0].startswith("Ada Lovelace")


def test_the_csv_is_the_filtered_register_safe_for_spreadsheets_and_audited(
    client, login_as, db, owners
):
    ada, _bo = owners
    login_as("siro")
    response = client.get(f"/risks/export.csv?owner={ada.id}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert sorted(row["title"] for row in rows) == ["'=HYPERLINK(1)", "Laptops left unlocked"]
    exported = db.scalars(select(AuditEntry).where(AuditEntry.action == "risk.register_exported"))
    assert len(list(exported)) == 1
    login_as("manager")
    assert client.get("/risks/export.csv").status_code == 403


def test_the_export_refuses_an_actor_without_the_permission(db):
    nobody = Actor(None, "nobody", frozenset(), frozenset())
    with pytest.raises(PermissionDenied):
        register.export_csv(db, nobody, register.RiskFilter(), POLICY, NOW.date(), NOW)
