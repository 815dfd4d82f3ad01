"""The search of information assets on a real database: the team asks each asset's
owner, the owner answers, and the request cannot close while a search is open. Each
change writes its audit entry; each refusal changes nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import text

from ig.errors import InvalidTransition, PermissionDenied, ValidationFailed
from ig.rights import fanout, handling
from ig.rights.models import Outcome, Removal, RequestStatus, RightsTask, TaskStatus
from ig.rights.task_rules import TaskResult
from tests.rights.fanout_helpers import asked, deleted, owned_asset, task_count
from tests.rights.helpers import NOW, TODAY, actor, audit_actions


def test_each_asset_chosen_gets_a_task_for_its_owner(db, policies):
    first, first_owner = owned_asset(db)
    second, second_owner = owned_asset(db)
    item = asked(db, policies, first, second, type_key="erasure")
    tasks = fanout.list_tasks(db, item.id)
    assert [(t.asset_id, t.owner_user_id, t.status) for t in tasks] == [
        (first.id, first_owner.user_id, TaskStatus.OPEN),
        (second.id, second_owner.user_id, TaskStatus.OPEN),
    ]
    assert audit_actions(db, item.id) == [
        "rights.logged", "rights.search_noted", "rights.task_added", "rights.task_added",
    ]  # fmt: skip
    note = db.execute(
        text("SELECT note FROM rights_searches WHERE request_id = :id"), {"id": item.id}
    ).scalar_one()
    assert "Case systems" not in note
    assert fanout.find_search(db, item.id).note == "Case systems the person was known to"


def test_an_asset_already_asked_is_passed_over_and_alone_is_refused(db, policies):
    asset, _owner = owned_asset(db)
    item = asked(db, policies, asset)
    with pytest.raises(ValidationFailed) as refused:
        fanout.add_tasks(db, actor(db), item.id, [asset.name], "Again", NOW)
    assert refused.value.field == "asset"
    assert task_count(db) == 1
    assert fanout.find_search(db, item.id).note == "Case systems the person was known to"


@pytest.mark.parametrize(
    ("assets", "note", "field"),
    [
        (["No such system anywhere"], "Reasonable", "asset"),
        (["99999999"], "Reasonable", "asset"),
        ([""], "Reasonable", "asset"),
        (["²"], "Reasonable", "asset"),  # a digit to str.isdigit() that int() refuses
        (["{asset}"], "  ", "note"),
    ],
)
def test_bad_search_input_is_refused_and_changes_nothing(db, policies, assets, note, field):
    asset, _owner = owned_asset(db)
    item = asked(db, policies)  # no asset yet: nothing asked
    before = audit_actions(db, item.id)
    chosen = [name.format(asset=asset.name) for name in assets]
    with pytest.raises(ValidationFailed) as refused:
        fanout.add_tasks(db, actor(db), item.id, chosen, note, NOW)
    assert refused.value.field == field
    assert (task_count(db), audit_actions(db, item.id)) == (0, before)


def test_only_the_team_asks_and_not_on_a_closed_request(db, policies):
    asset, owner = owned_asset(db)
    item = asked(db, policies)
    with pytest.raises(PermissionDenied):
        fanout.add_tasks(db, owner, item.id, [asset.name], "Why", NOW)
    handling.close_request(db, actor(db), item.id, Outcome.COMPLETE, TODAY, "", NOW)
    with pytest.raises(InvalidTransition):
        fanout.add_tasks(db, actor(db), item.id, [asset.name], "Why", NOW)
    assert task_count(db) == 0


def test_the_owner_records_what_was_found_and_deleted(db, policies):
    asset, owner = owned_asset(db)
    item = asked(db, policies, asset, type_key="erasure")
    (task,) = fanout.list_tasks(db, item.id)
    fanout.record_task(db, owner, policies.rights, task.id, deleted(), NOW, task.version)
    assert (task.status, task.is_found, task.removal, task.removed_on) == (
        TaskStatus.DONE, True, Removal.DELETED, dt.date(2026, 11, 10),
    )  # fmt: skip
    assert audit_actions(db, item.id)[-1] == "rights.task_done"
    raw = db.execute(text("SELECT findings FROM rights_tasks WHERE id = :id"), {"id": task.id})
    assert "recordings" not in raw.scalar_one()


def test_data_kept_needs_an_exemption_from_policy_and_a_reason(db, policies):
    asset, owner = owned_asset(db)
    item = asked(db, policies, asset, type_key="consent_withdrawal")
    (task,) = fanout.list_tasks(db, item.id)
    kept = TaskResult(True, "The case record", Removal.KEPT, None, "nonsense", "Statutory")
    with pytest.raises(ValidationFailed) as refused:
        fanout.record_task(db, owner, policies.rights, task.id, kept, NOW)
    assert refused.value.field == "exemption"
    kept = dataclasses.replace(kept, exemption_key="other_lawful_basis", kept_reason=" ")
    with pytest.raises(ValidationFailed) as refused:
        fanout.record_task(db, owner, policies.rights, task.id, kept, NOW)
    assert refused.value.field == "kept_reason"
    assert task.status is TaskStatus.OPEN
    kept = dataclasses.replace(kept, kept_reason="Care Act assessment: public task")
    fanout.record_task(db, owner, policies.rights, task.id, kept, NOW)
    assert (task.exemption_key, task.removed_on) == ("other_lawful_basis", None)


@pytest.mark.parametrize(
    ("result", "field"),
    [
        (deleted(dt.date(2026, 11, 21)), "removed_on"),  # after today
        (deleted(dt.date(2026, 11, 1)), "removed_on"),  # before the request was received
        (dataclasses.replace(deleted(), removed_on=None), "removed_on"),
        (dataclasses.replace(deleted(), removed_on=dt.date(1850, 1, 1)), "removed_on"),
        (dataclasses.replace(deleted(), removal=None), "removal"),
        (dataclasses.replace(deleted(), is_found=None), "is_found"),
        (dataclasses.replace(deleted(), findings=" "), "findings"),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(db, policies, result, field):
    asset, owner = owned_asset(db)
    item = asked(db, policies, asset, type_key="erasure")
    (task,) = fanout.list_tasks(db, item.id)
    before = audit_actions(db, item.id)
    with pytest.raises(ValidationFailed) as refused:
        fanout.record_task(db, owner, policies.rights, task.id, result, NOW)
    assert refused.value.field == field
    db.expire_all()
    assert (db.get(RightsTask, task.id).status, audit_actions(db, item.id)) == (
        TaskStatus.OPEN, before,
    )  # fmt: skip


def test_only_the_owner_asked_records_the_search_once(db, policies):
    asset, owner = owned_asset(db)
    _other_asset, someone_else = owned_asset(db)
    item = asked(db, policies, asset, type_key="erasure")
    (task,) = fanout.list_tasks(db, item.id)
    for stranger in (someone_else, actor(db)):
        with pytest.raises(PermissionDenied):
            fanout.record_task(db, stranger, policies.rights, task.id, deleted(), NOW)
    assert task.status is TaskStatus.OPEN
    assert audit_actions(db, item.id)[-1] == "rights.task_added"
    fanout.record_task(db, owner, policies.rights, task.id, deleted(), NOW)
    with pytest.raises(InvalidTransition):
        fanout.record_task(db, owner, policies.rights, task.id, deleted(), NOW)


def test_a_subject_access_search_records_what_was_found_only(db, policies):
    asset, owner = owned_asset(db)
    item = asked(db, policies, asset)
    (task,) = fanout.list_tasks(db, item.id)
    fanout.record_task(db, owner, policies.rights, task.id, deleted(), NOW)
    assert (task.is_found, task.removal, task.removed_on) == (True, None, None)


def test_the_request_cannot_close_while_a_search_is_open(db, policies):
    first, first_owner = owned_asset(db)
    second, second_owner = owned_asset(db)
    item = asked(db, policies, first, second, type_key="erasure")
    tasks = fanout.list_tasks(db, item.id)
    fanout.record_task(db, first_owner, policies.rights, tasks[0].id, deleted(), NOW)
    before = audit_actions(db, item.id)
    with pytest.raises(InvalidTransition) as refused:
        handling.close_request(db, actor(db), item.id, Outcome.COMPLETE, TODAY, "", NOW)
    assert "search is still open" in refused.value.message
    assert (item.status, audit_actions(db, item.id)) == (RequestStatus.OPEN, before)
    not_found = TaskResult(False, "Searched by name and case number: nothing held")
    fanout.record_task(db, second_owner, policies.rights, tasks[1].id, not_found, NOW)
    handling.close_request(db, actor(db), item.id, Outcome.COMPLETE, TODAY, "", NOW)
    assert item.status is RequestStatus.CLOSED


def test_an_owner_lists_their_open_searches_nearest_deadline_first(db, policies):
    asset, owner = owned_asset(db)
    later = asked(db, policies, asset, received_on=dt.date(2026, 11, 18))
    sooner = asked(db, policies, asset, received_on=dt.date(2026, 11, 2))
    done = asked(db, policies, asset, received_on=dt.date(2026, 11, 1))
    (task,) = fanout.list_tasks(db, done.id)
    fanout.record_task(db, owner, policies.rights, task.id, deleted(), NOW)
    page = fanout.list_owner_tasks(db, owner.user_id)
    assert [t.request_id for t in page.rows] == [sooner.id, later.id]
    assert page.total == 2
