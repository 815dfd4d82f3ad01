"""Withdrawal of consent: the person is marked against the processing activities relying
on consent that they withdrew from, and the owners of the assets those activities use
are asked to remove their data; the demo's AI trial shows it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ig.demo import load_demo
from ig.errors import InvalidTransition, ValidationFailed
from ig.processing.rules import LawfulBasis
from ig.rights import consent, fanout
from ig.rights.models import ConsentWithdrawal, RightsRequest
from tests.factories import make_user
from tests.processing.data import make_activity
from tests.rights.fanout_helpers import asked, owned_asset, task_count
from tests.rights.helpers import NOW, actor, audit_actions

NOTE = "The systems the trial's activity uses"


def consent_activity(db, *assets, name="AI transcription trial"):
    return make_activity(
        db, make_user(db), name=name, lawful_basis=LawfulBasis.CONSENT,
        art9_condition="explicit_consent", schedule_1_condition="", relies_on_consent=True,
        assets=tuple(str(asset.id) for asset in assets),
    )  # fmt: skip


def withdrawn_count(db) -> int:
    return db.scalar(select(func.count()).select_from(ConsentWithdrawal)) or 0


def test_only_activities_relying_on_consent_are_offered(db):
    trial = consent_activity(db)
    public_task = make_activity(db, make_user(db), name="Case management")
    offered = [a.id for a in consent.list_consent_activities(db)]
    assert trial.id in offered
    assert public_task.id not in offered


def test_withdrawing_marks_the_person_and_asks_each_assets_owner(db, policies):
    recordings, recordings_owner = owned_asset(db)
    transcripts, transcripts_owner = owned_asset(db)
    trial = consent_activity(db, recordings, transcripts)
    item = asked(db, policies, type_key="consent_withdrawal")
    tasks = consent.withdraw_consent(db, actor(db), item.id, [trial.id], NOTE, NOW)
    assert {(t.asset_id, t.owner_user_id) for t in tasks} == {
        (recordings.id, recordings_owner.user_id),
        (transcripts.id, transcripts_owner.user_id),
    }
    assert [a.name for a in consent.list_withdrawn(db, item.id)] == ["AI transcription trial"]
    assert audit_actions(db, item.id)[1:] == [
        "rights.consent_withdrawn", "rights.search_noted", "rights.task_added",
        "rights.task_added",
    ]  # fmt: skip
    assert fanout.find_search(db, item.id).note == NOTE


def test_an_asset_already_asked_is_not_asked_again(db, policies):
    asset, _owner = owned_asset(db)
    first = consent_activity(db, asset, name="Trial one")
    second = consent_activity(db, asset, name="Trial two")
    item = asked(db, policies, type_key="consent_withdrawal")
    consent.withdraw_consent(db, actor(db), item.id, [first.id], NOTE, NOW)
    assert consent.withdraw_consent(db, actor(db), item.id, [second.id], NOTE, NOW) == []
    assert (task_count(db), withdrawn_count(db)) == (1, 2)


@pytest.mark.parametrize("chosen", [[], [-1], ["public_task"], ["again"]])
def test_bad_choices_are_refused_and_change_nothing(db, policies, chosen):
    asset, _owner = owned_asset(db)
    trial = consent_activity(db, asset)
    public_task = make_activity(db, make_user(db), name="Case management")
    item = asked(db, policies, type_key="consent_withdrawal")
    if chosen == ["again"]:
        consent.withdraw_consent(db, actor(db), item.id, [trial.id], NOTE, NOW)
    ids = {"public_task": public_task.id, "again": trial.id}
    before = (task_count(db), withdrawn_count(db), audit_actions(db, item.id))
    with pytest.raises(ValidationFailed) as refused:
        consent.withdraw_consent(db, actor(db), item.id, [ids.get(c, c) for c in chosen], NOTE, NOW)
    assert refused.value.field == "activities"
    assert (task_count(db), withdrawn_count(db), audit_actions(db, item.id)) == before


def test_only_a_withdrawal_of_consent_names_activities(db, policies):
    trial = consent_activity(db)
    item = asked(db, policies, type_key="erasure")
    with pytest.raises(InvalidTransition):
        consent.withdraw_consent(db, actor(db), item.id, [trial.id], NOTE, NOW)
    assert withdrawn_count(db) == 0


def test_the_demo_withdraws_margaret_ellis_from_the_ai_trial(db, policies):
    assert load_demo(db, policies) is True
    item = db.scalar(select(RightsRequest).where(RightsRequest.type_key == "consent_withdrawal"))
    assert [a.name for a in consent.list_withdrawn(db, item.id)] == [
        "AI transcription trial for social work visits"
    ]
    (task,) = fanout.list_tasks(db, item.id)
    assert task.owner.email == "manager@eastmere.example"
