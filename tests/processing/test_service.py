"""The processing-activity services: record and change, with their audit and refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from ig.audit.models import AuditEntry
from ig.auth.rules import Actor
from ig.errors import EditConflict, PermissionDenied, ValidationFailed
from ig.processing import service
from ig.processing.models import ProcessingActivity
from ig.processing.rules import LawfulBasis, Role
from tests.factories import make_asset, make_organisation, make_user
from tests.processing.data import MANAGE, NOW, POLICY, activity_input, make_activity


def audit(db, activity_id):
    return db.execute(
        select(AuditEntry.action, AuditEntry.detail)
        .where(AuditEntry.record_type == "processing_activity")
        .where(AuditEntry.record_id == str(activity_id))
        .order_by(AuditEntry.id)
    ).all()


def count(db):
    return db.scalar(select(func.count()).select_from(ProcessingActivity))


def test_create_records_the_activity_its_links_and_audit(db):
    owner = make_user(db, roles=("manager",))
    asset = make_asset(db, name="Mosaic case records")
    police = make_organisation(db, kind="police", code="E23000001", name="Met Police")
    activity = make_activity(db, owner, assets=("Mosaic case records",), controllers=("E23000001",))
    assert activity.has_special_category
    assert activity.policy_version == POLICY.version
    assert [o.id for o in activity.controllers] == [police.id]
    assert service.asset_ids(db, activity.id) == [asset.id]
    assert service.linked_assets(db, [activity.id]) == {activity.id: ["Mosaic case records"]}
    [(action, detail)] = audit(db, activity.id)
    assert action == "processing.created"
    assert detail["role"] == "controller"


def test_free_text_is_encrypted_in_the_database(db):
    activity = make_activity(db, make_user(db), purpose="Assessing Jane Doe-Canary's needs")
    raw = db.execute(
        text("SELECT purpose FROM processing_activities WHERE id = :id"), {"id": activity.id}
    ).scalar_one()
    assert "Canary" not in str(raw)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"purpose": ""}, "purpose"),
        ({"name": "x" * 201}, "name"),
        ({"owner_user_id": 0}, "owner_user_id"),
        ({"people_categories": ()}, "people_categories"),
        ({"people_categories": ("aliens",)}, "people_categories"),
        ({"data_categories": ("nonsense",)}, "data_categories"),
        ({"schedule_1_condition": "safeguarding"}, "has_policy_document"),
        ({"role": Role.PROCESSOR}, "controllers"),
        ({"controllers": ("NO-SUCH-ORG",)}, "controllers"),
        ({"assets": ("No such asset",)}, "assets"),
        ({"assets": ("x",) * 51}, "assets"),
        ({"lawful_basis": LawfulBasis.CONSENT}, "relies_on_consent"),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(db, changes, field):
    owner = make_user(db)
    before = count(db)
    with pytest.raises(ValidationFailed) as refused:
        service.create_activity(db, MANAGE, POLICY, activity_input(owner.id, **changes), NOW)
    assert refused.value.field == field
    assert count(db) == before


def test_only_the_ig_team_records_and_changes(db):
    owner = make_user(db)
    reader = Actor(owner.id, owner.email, frozenset(), frozenset({"processing.read"}))
    with pytest.raises(PermissionDenied):
        service.create_activity(db, reader, POLICY, activity_input(owner.id), NOW)
    activity = make_activity(db, owner)
    with pytest.raises(PermissionDenied):
        service.update_activity(
            db, reader, POLICY, activity.id, activity_input(owner.id), activity.version, NOW
        )


def test_update_changes_links_and_names_what_changed(db):
    owner = make_user(db)
    make_asset(db, name="First asset")
    second = make_asset(db, name="Second asset")
    activity = make_activity(db, owner, assets=("First asset",))
    changed = activity_input(
        owner.id,
        retention="10 years",
        assets=(str(second.id),),
        data_categories=("identity",),
        art9_condition="",
        schedule_1_condition="",
    )
    service.update_activity(db, MANAGE, POLICY, activity.id, changed, activity.version, NOW)
    assert service.asset_ids(db, activity.id) == [second.id]
    assert not activity.has_special_category
    action, detail = audit(db, activity.id)[-1]
    assert action == "processing.updated"
    assert detail["changed"] == [
        "art9_condition",
        "assets",
        "categories",
        "retention",
        "schedule_1_condition",
    ]


def test_a_stale_or_bad_edit_changes_nothing(db):
    owner = make_user(db)
    activity = make_activity(db, owner)
    with pytest.raises(EditConflict):
        service.update_activity(
            db, MANAGE, POLICY, activity.id, activity_input(owner.id, name="New"), 99, NOW
        )
    with pytest.raises(ValidationFailed):
        service.update_activity(
            db,
            MANAGE,
            POLICY,
            activity.id,
            activity_input(owner.id, name="New", controllers=("NOPE",)),
            activity.version,
            NOW,
        )
    db.expire_all()
    assert db.get(ProcessingActivity, activity.id).name == "Adult social care case management"
    assert [a for a, _d in audit(db, activity.id)] == ["processing.created"]


def test_assets_are_named_by_number_or_unique_name(db):
    owner = make_user(db)
    first = make_asset(db, name="Shared name")
    make_asset(db, name="Shared name")
    with pytest.raises(ValidationFailed, match="enter its number"):
        make_activity(db, owner, assets=("shared NAME",))
    activity = make_activity(db, owner, assets=(str(first.id), f" {first.id} "))
    assert service.asset_ids(db, activity.id) == [first.id]
