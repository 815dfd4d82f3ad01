"""A DPIA's links to processing activities and information assets: written with their
audit entries, refused without dpia.manage, and a bad reference changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ig.dpia import record_links
from ig.dpia.linked import list_dpias_for_activity, list_dpias_for_asset
from ig.dpia.models import dpia_information_assets, dpia_processing_activities
from ig.errors import NotFound, PermissionDenied, ValidationFailed
from tests.dpia.conftest import NOW, actor, audit_actions, make_dpia, officer
from tests.factories import make_asset, make_user
from tests.processing.data import make_activity

KINDS = [
    (record_links.ACTIVITY, dpia_processing_activities),
    (record_links.ASSET, dpia_information_assets),
]


def _record(db, kind):
    owner = make_user(db, roles=("manager",))
    if kind is record_links.ACTIVITY:
        return make_activity(db, owner, name="Safeguarding referrals")
    return make_asset(db, owner, name="Safeguarding referrals")


def _count(db, table) -> int:
    return db.scalar(select(func.count()).select_from(table))


@pytest.mark.parametrize(("kind", "table"), KINDS)
def test_a_record_is_linked_by_number_or_name_and_unlinked_with_audit(db, policies, kind, table):
    by = officer(db)
    dpia_id = make_dpia(db, policies.dpia, by)
    target = _record(db, kind)
    link = record_links.link_record(db, by, kind, dpia_id, str(target.id), NOW)
    assert link == record_links.RecordLink(target.id, "Safeguarding referrals")
    assert record_links.linked(db, kind, dpia_id) == [link]
    assert audit_actions(db, dpia_id)[-1] == f"dpia.{kind.name}_linked"
    with pytest.raises(ValidationFailed, match="already linked") as failed:
        record_links.link_record(db, by, kind, dpia_id, " safeguarding REFERRALS ", NOW)
    assert failed.value.field == kind.name
    record_links.unlink_record(db, by, kind, dpia_id, target.id, NOW)
    assert record_links.linked(db, kind, dpia_id) == []
    assert audit_actions(db, dpia_id)[-2:] == [
        f"dpia.{kind.name}_linked",
        f"dpia.{kind.name}_unlinked",
    ]
    with pytest.raises(NotFound, match="not linked"):
        record_links.unlink_record(db, by, kind, dpia_id, target.id, NOW)


@pytest.mark.parametrize(("kind", "table"), KINDS)
def test_linking_needs_dpia_manage_and_changes_nothing_without_it(db, policies, kind, table):
    dpia_id = make_dpia(db, policies.dpia, officer(db))
    target = _record(db, kind)
    before = audit_actions(db, dpia_id)
    reader = actor(db, "auditor", frozenset({"dpia.read"}))
    with pytest.raises(PermissionDenied):
        record_links.link_record(db, reader, kind, dpia_id, str(target.id), NOW)
    assert _count(db, table) == 0
    record_links.link_record(db, officer(db), kind, dpia_id, str(target.id), NOW)
    with pytest.raises(PermissionDenied):
        record_links.unlink_record(db, reader, kind, dpia_id, target.id, NOW)
    assert _count(db, table) == 1
    assert audit_actions(db, dpia_id) == [*before, f"dpia.{kind.name}_linked"]


@pytest.mark.parametrize(("kind", "table"), KINDS)
@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("999999", "No "),
        ("²", "No "),  # str.isdigit() is true of it, int() refuses it
        ("\uff11\uff12", "No "),  # full-width digits: not a record number either
        ("Nothing called this", "No "),
        ("", "Enter the"),
        ("   ", "Enter the"),
        ("x" * 201, "characters"),
    ],
)
def test_an_unknown_reference_is_refused_clearly_and_changes_nothing(
    db, policies, kind, table, reference, message
):
    by = officer(db)
    dpia_id = make_dpia(db, policies.dpia, by)
    _record(db, kind)
    before = audit_actions(db, dpia_id)
    with pytest.raises(ValidationFailed, match=message) as failed:
        record_links.link_record(db, by, kind, dpia_id, reference, NOW)
    assert failed.value.field == kind.name
    assert _count(db, table) == 0
    assert audit_actions(db, dpia_id) == before


@pytest.mark.parametrize(("kind", "table"), KINDS)
def test_a_name_two_records_share_asks_for_the_number(db, policies, kind, table):
    by = officer(db)
    dpia_id = make_dpia(db, policies.dpia, by)
    _record(db, kind)
    _record(db, kind)
    with pytest.raises(ValidationFailed, match="enter its number"):
        record_links.link_record(db, by, kind, dpia_id, "Safeguarding referrals", NOW)
    assert _count(db, table) == 0


def test_an_unknown_dpia_is_not_found(db, policies):
    target = _record(db, record_links.ASSET)
    with pytest.raises(NotFound):
        record_links.link_record(db, officer(db), record_links.ASSET, 999_999, str(target.id), NOW)


def test_the_other_side_lists_the_dpias_linking_it(db, policies):
    by = officer(db)
    first = make_dpia(db, policies.dpia, by, title="B trial")
    second = make_dpia(db, policies.dpia, by, title="A pilot")
    activity = _record(db, record_links.ACTIVITY)
    asset = _record(db, record_links.ASSET)
    for dpia_id in (first, second):
        record_links.link_record(db, by, record_links.ACTIVITY, dpia_id, str(activity.id), NOW)
    record_links.link_record(db, by, record_links.ASSET, first, str(asset.id), NOW)
    assert [d.title for d in list_dpias_for_activity(db, activity.id)] == ["A pilot", "B trial"]
    assert [d.dpia_id for d in list_dpias_for_asset(db, asset.id)] == [first]
    assert list_dpias_for_asset(db, asset.id + 1) == []
