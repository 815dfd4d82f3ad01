"""The information-asset services: add, change, confirm and link, with their audit."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from ig.assets import links, service
from ig.assets.models import InformationAsset
from ig.assets.rules import Criticality
from ig.audit.models import AuditEntry
from ig.auth.rules import Actor
from ig.errors import EditConflict, NotFound, PermissionDenied, ValidationFailed
from ig.incidents import service as incidents
from tests.factories import (
    make_asset,
    make_notice,
    make_organisation,
    make_sharing_agreement,
    make_team,
    make_user,
)

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
MANAGE = Actor(None, "officer", frozenset(), frozenset({"assets.read", "assets.manage"}))


def as_actor(user, *permissions):
    return Actor(user.id, user.email, user.role_names, frozenset(permissions))


def audit_actions(db, asset_id):
    return db.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.record_type == "information_asset")
        .where(AuditEntry.record_id == str(asset_id))
        .order_by(AuditEntry.seq)
    ).all()


def input_of(asset, **changes):
    values = {
        "name": asset.name,
        "system": asset.system,
        "description": asset.description,
        "owner_user_id": asset.owner_user_id,
        "administrator_user_id": asset.administrator_user_id,
        "record_count": asset.record_count,
        "asset_format": asset.asset_format,
        "hosting": asset.hosting,
        "location": asset.location,
        "retention_period": asset.retention_period,
        "retention_rule": asset.retention_rule,
        "security_controls": asset.security_controls,
        "criticality": asset.criticality,
        "personal_data": tuple(c.category for c in asset.categories if not c.is_special),
        "special_categories": tuple(c.category for c in asset.categories if c.is_special),
        "suppliers": tuple(s.code or s.name for s in asset.suppliers),
    }
    return service.AssetInput(**(values | changes))


def test_create_records_the_asset_due_for_its_first_confirmation(db):
    supplier = make_organisation(db, name="Mosaic Software Ltd")
    asset = make_asset(db, suppliers=("mosaic software ltd",))
    loaded = service.get_asset(db, asset.id)
    assert loaded.next_confirmation_on == TODAY
    assert loaded.last_confirmed_on is None
    assert [s.id for s in loaded.suppliers] == [supplier.id]
    assert {(c.category, c.is_special) for c in loaded.categories} == {
        ("identity", False),
        ("care_records", False),
        ("health", True),
    }
    assert audit_actions(db, asset.id) == ["asset.created"]


def test_free_text_is_encrypted_in_the_database(db):
    asset = make_asset(db, description="Holds the case notes of Ada Lovelace")
    raw = (
        db.connection()
        .exec_driver_sql(f"SELECT description FROM information_assets WHERE id = {int(asset.id)}")
        .scalar()
    )
    assert "Lovelace" not in raw


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", " "),
        ("system", ""),
        ("description", "   "),
        ("retention_period", ""),
        ("retention_rule", ""),
        ("name", "x" * 201),
        ("location", "bad\x00text"),
        ("record_count", -1),
        ("record_count", 1_000_000_001),
        ("personal_data", ("identity", "made_up")),
        ("special_categories", ("identity",)),
        ("suppliers", ("No such partner",)),
        ("owner_user_id", 999_999),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(db, field, value):
    before = db.scalar(select(func.count()).select_from(InformationAsset))
    with pytest.raises(ValidationFailed) as refused:
        make_asset(db, **{field: value})
    assert refused.value.field == field
    assert db.scalar(select(func.count()).select_from(InformationAsset)) == before


def test_an_inactive_user_cannot_administer_an_asset(db):
    leaver = make_user(db, is_active=False)
    with pytest.raises(ValidationFailed, match="administrator"):
        make_asset(db, administrator_user_id=leaver.id)


def test_only_the_ig_team_adds_and_changes_assets(db, policies):
    asset = make_asset(db)
    reader = as_actor(make_user(db), "assets.read")
    with pytest.raises(PermissionDenied):
        service.create_asset(db, reader, policies.assets, input_of(asset), NOW)
    with pytest.raises(PermissionDenied):
        service.update_asset(db, reader, policies.assets, asset.id, input_of(asset), 1, NOW)


def test_update_changes_the_details_and_names_what_changed(db, policies):
    asset = make_asset(db)
    data = input_of(asset, criticality=Criticality.CRITICAL, special_categories=())
    service.update_asset(db, MANAGE, policies.assets, asset.id, data, asset.version, NOW)
    assert asset.criticality is Criticality.CRITICAL
    assert {c.category for c in asset.categories} == {"identity", "care_records"}
    entry = db.scalar(
        select(AuditEntry)
        .where(AuditEntry.action == "asset.updated")
        .order_by(AuditEntry.seq.desc())
    )
    assert entry.detail["changed"] == ["categories", "criticality"]


def test_a_stale_edit_is_refused(db, policies):
    asset = make_asset(db)
    with pytest.raises(EditConflict):
        service.update_asset(
            db, MANAGE, policies.assets, asset.id, input_of(asset), asset.version + 1, NOW
        )
    with pytest.raises(NotFound):
        service.update_asset(db, MANAGE, policies.assets, 999_999, input_of(asset), 1, NOW)


def test_a_bad_edit_changes_nothing(db, policies):
    asset = make_asset(db, name="Old name")
    with pytest.raises(ValidationFailed):
        service.update_asset(
            db,
            MANAGE,
            policies.assets,
            asset.id,
            input_of(asset, name="New name", suppliers=("Nobody",)),
            asset.version,
            NOW,
        )
    assert asset.name == "Old name"


def test_the_owner_confirms_and_the_next_falls_a_cycle_on(db, policies):
    owner = make_user(db, roles=("manager",))
    asset = make_asset(db, owner=owner)
    service.confirm_asset(db, as_actor(owner), policies.assets, asset.id, asset.version, NOW)
    assert asset.last_confirmed_on == TODAY
    assert asset.next_confirmation_on == dt.date(2027, 11, 22)
    assert audit_actions(db, asset.id) == ["asset.created", "asset.confirmed"]


def test_only_the_owner_confirms(db, policies):
    asset = make_asset(db)
    officer = as_actor(make_user(db, roles=("ig_officer",)), "assets.read", "assets.manage")
    with pytest.raises(PermissionDenied):
        service.confirm_asset(db, officer, policies.assets, asset.id, asset.version, NOW)
    owner = Actor(asset.owner_user_id, "owner", frozenset(), frozenset())
    with pytest.raises(EditConflict):
        service.confirm_asset(db, owner, policies.assets, asset.id, asset.version - 1, NOW)
    assert asset.last_confirmed_on is None


def test_a_shorter_cycle_in_the_policy_brings_the_next_confirmation_forward(db, policies):
    quarterly = dataclasses.replace(policies.assets, confirm_every_months=3)
    asset = make_asset(db)
    owner = Actor(asset.owner_user_id, "owner", frozenset(), frozenset())
    service.confirm_asset(db, owner, quarterly, asset.id, asset.version, NOW)
    assert asset.next_confirmation_on == dt.date(2027, 2, 22)


def test_links_to_agreements_notices_and_incidents(db, policies):
    officer = make_user(db, roles=("ig_officer",))
    asset = make_asset(db)
    agreement = make_sharing_agreement(db, policies.sharing, make_organisation(db))
    notice = make_notice(db)
    reporter = Actor(officer.id, officer.email, frozenset(), frozenset({"incidents.report"}))
    report = incidents.Report("Lost laptop", NOW, NOW, make_team(db).id, False)
    incident = incidents.report_incident(db, reporter, policies.incidents, report, NOW)
    links.link_record(db, MANAGE, asset, "agreement", agreement.reference.lower(), NOW)
    links.link_record(db, MANAGE, asset, "notice", str(notice.id), NOW)
    links.link_record(db, MANAGE, asset, "incident", incident.reference, NOW)
    shown = {(v.kind, v.reference) for v in links.link_views(db, asset)}
    assert shown == {
        ("agreement", agreement.reference),
        ("notice", str(notice.id)),
        ("incident", incident.reference),
    }
    with pytest.raises(ValidationFailed, match="already linked"):
        links.link_record(db, MANAGE, asset, "notice", str(notice.id), NOW)
    links.unlink_record(db, MANAGE, asset, "notice", str(notice.id), NOW)
    assert len(links.link_views(db, asset)) == 2
    assert audit_actions(db, asset.id).count("asset.linked") == 3
    assert "asset.unlinked" in audit_actions(db, asset.id)


@pytest.mark.parametrize(
    ("kind", "reference", "field"),
    [
        ("agreement", "DSA-NONE", "reference"),
        ("notice", "999999", "reference"),
        ("notice", "not a number", "reference"),
        ("incident", "IG-1900-0001", "reference"),
        ("asset", "X", "kind"),
        ("incident", " ", "reference"),
    ],
)
def test_a_link_to_nothing_is_refused(db, kind, reference, field):
    asset = make_asset(db)
    with pytest.raises(ValidationFailed) as refused:
        links.link_record(db, MANAGE, asset, kind, reference, NOW)
    assert refused.value.field == field


def test_only_the_ig_team_links_and_an_unknown_link_cannot_be_removed(db):
    asset = make_asset(db)
    reader = as_actor(make_user(db), "assets.read")
    with pytest.raises(PermissionDenied):
        links.link_record(db, reader, asset, "notice", "1", NOW)
    with pytest.raises(PermissionDenied):
        links.unlink_record(db, reader, asset, "notice", "1", NOW)
    with pytest.raises(NotFound):
        links.unlink_record(db, MANAGE, asset, "notice", "1", NOW)
