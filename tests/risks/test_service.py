"""The risk register's services: record, change, review, act, link and close, with audit;
bad input is refused and nothing is written."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from ig.audit.models import AuditEntry
from ig.auth.rules import Actor
from ig.errors import EditConflict, InvalidTransition, PermissionDenied, ValidationFailed
from ig.risks import actions, lifecycle, links, service
from ig.risks.models import Risk, RiskReview
from ig.risks.scoring import ReviewInput
from ig.risks.service import create_risk
from tests.factories import make_asset, make_user
from tests.risks.conftest import MANAGE, NOW, POLICY, make_risk, risk_input

TODAY = NOW.date()
LATER = NOW + dt.timedelta(days=10)


def audit_actions(db, risk_id):
    return db.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.record_type == "risk", AuditEntry.record_id == str(risk_id))
        .order_by(AuditEntry.seq)
    ).all()


def test_create_records_the_first_scoring_as_a_review(db):
    risk = make_risk(db, likelihood=4, impact=3)
    loaded = service.get_risk(db, risk.id)
    assert loaded.reference.startswith("IGR-")
    assert (loaded.score, loaded.review_on) == (12, dt.date(2027, 2, 22))  # high: 3 months
    assert [(r.score, r.reviewed_on, r.note) for r in loaded.reviews] == [
        (12, TODAY, "Risk recorded")
    ]
    assert audit_actions(db, risk.id) == ["risk.created"]
    assert make_risk(db).number == risk.number + 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"cause": ""}, "cause"),
        ({"category": "weather"}, "category"),
        ({"owner_user_id": 0}, "owner_user_id"),
        ({"target_likelihood": 6}, "target_likelihood"),
        ({"controls": "x" * 2001}, "controls"),
        ({"title": "nul\x00byte"}, "title"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(db, changes, field):
    owner = make_user(db)
    first = ReviewInput(TODAY, 3, 3, "")
    data = dataclasses.replace(risk_input(owner.id), **changes)
    with pytest.raises(ValidationFailed) as refused:
        create_risk(db, MANAGE, POLICY, data, first, NOW)
    assert refused.value.field == field
    assert db.scalar(select(func.count()).select_from(Risk)) == 0
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == 0


@pytest.mark.parametrize(
    ("review", "field"),
    [
        (ReviewInput(TODAY, 0, 3, ""), "likelihood"),
        (ReviewInput(TODAY, 3, 9, ""), "impact"),
        (ReviewInput(TODAY + dt.timedelta(days=1), 3, 3, ""), "reviewed_on"),
        (ReviewInput(TODAY, 3, 3, "", TODAY), "next_review_on"),
        (ReviewInput(TODAY, 4, 4, "", TODAY + dt.timedelta(days=40)), "next_review_on"),
    ],
)
def test_a_bad_first_scoring_is_refused(db, review, field):
    owner = make_user(db)
    with pytest.raises(ValidationFailed) as refused:
        create_risk(db, MANAGE, POLICY, risk_input(owner.id), review, NOW)
    assert refused.value.field == field
    assert db.scalar(select(func.count()).select_from(Risk)) == 0


def test_only_the_ig_team_records_and_changes_risks(db):
    owner = make_user(db)
    reader = Actor(owner.id, "reader", frozenset(), frozenset({"risks.read"}))
    with pytest.raises(PermissionDenied):
        create_risk(db, reader, POLICY, risk_input(owner.id), ReviewInput(TODAY, 2, 2, ""), NOW)
    risk = make_risk(db, owner=owner)
    with pytest.raises(PermissionDenied):
        service.update_risk(db, reader, POLICY, risk.id, risk_input(owner.id), risk.version, NOW)


def test_update_changes_the_description_not_the_score(db):
    risk = make_risk(db)
    data = risk_input(risk.owner_user_id, title="Misdirected e-mail", target_impact=2)
    service.update_risk(db, MANAGE, POLICY, risk.id, data, risk.version, LATER)
    loaded = service.get_risk(db, risk.id)
    assert (loaded.title, loaded.target_impact, loaded.score) == ("Misdirected e-mail", 2, 12)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "risk.updated")).one()
    # The title and category as they now stand, for the IG report as recorded then.
    assert entry.detail == {
        "changed": ["target_impact", "title"],
        "title": "Misdirected e-mail",
        "category": "people",
    }
    with pytest.raises(EditConflict):
        service.update_risk(db, MANAGE, POLICY, risk.id, data, 1, LATER)


def test_the_owner_reviews_and_the_score_history_is_kept(db):
    owner = make_user(db)
    risk = make_risk(db, owner=owner)
    as_owner = Actor(owner.id, owner.email, frozenset(), frozenset({"home.view"}))
    review = ReviewInput(LATER.date(), 2, 3, "Autocomplete turned off")
    lifecycle.review_risk(db, as_owner, POLICY, risk.id, review, risk.version, LATER)
    loaded = service.get_risk(db, risk.id)
    assert (loaded.likelihood, loaded.impact, loaded.score) == (2, 3, 6)
    assert loaded.review_on == dt.date(2027, 6, 2)  # medium: 6 months on
    assert [r.score for r in loaded.reviews] == [6, 12]  # latest first
    assert loaded.reviews[0].reviewed_by_user_id == owner.id
    assert audit_actions(db, risk.id) == ["risk.created", "risk.reviewed"]
    stranger = Actor(make_user(db).id, "someone", frozenset(), frozenset({"home.view"}))
    with pytest.raises(PermissionDenied):
        lifecycle.review_risk(db, stranger, POLICY, risk.id, review, loaded.version, LATER)


def test_a_review_cannot_be_dated_before_the_last(db):
    risk = make_risk(db)
    early = ReviewInput(TODAY - dt.timedelta(days=1), 2, 2, "")
    with pytest.raises(ValidationFailed) as refused:
        lifecycle.review_risk(db, MANAGE, POLICY, risk.id, early, risk.version, LATER)
    assert refused.value.field == "reviewed_on"
    assert db.scalar(select(func.count()).select_from(RiskReview)) == 1


def test_actions_are_added_and_completed(db):
    risk = make_risk(db)
    doer = make_user(db)
    due = TODAY + dt.timedelta(days=30)
    with pytest.raises(ValidationFailed) as refused:
        actions.add_action(
            db, MANAGE, risk.id, "Turn off autocomplete", doer.id, TODAY - dt.timedelta(days=1), NOW
        )
    assert refused.value.field == "due_on"
    action = actions.add_action(db, MANAGE, risk.id, "Turn off autocomplete", doer.id, due, NOW)
    as_doer = Actor(doer.id, doer.email, frozenset(), frozenset({"home.view"}))
    actions.complete_action(db, as_doer, risk.id, action.id, LATER.date(), LATER)
    assert service.get_risk(db, risk.id).actions[0].done_on == LATER.date()
    with pytest.raises(InvalidTransition):
        actions.complete_action(db, as_doer, risk.id, action.id, LATER.date(), LATER)
    assert audit_actions(db, risk.id)[-2:] == ["risk.action_added", "risk.action_done"]


def test_links_resolve_through_the_other_registers(db):
    risk = make_risk(db)
    asset = make_asset(db, name="Mosaic case records")
    assert links.link_record(db, MANAGE, risk, "asset", "mosaic case records", NOW) == str(asset.id)
    with pytest.raises(ValidationFailed, match="already linked"):
        links.link_record(db, MANAGE, risk, "asset", str(asset.id), NOW)
    for kind, reference in (("incident", "IG-1999-9999"), ("dpia", "DPIA 999999"), ("x", "1")):
        with pytest.raises(ValidationFailed):
            links.link_record(db, MANAGE, risk, kind, reference, NOW)
    views = links.link_views(db, risk)
    assert [(v.kind, v.text) for v in views] == [("asset", "Mosaic case records")]
    links.unlink_record(db, MANAGE, risk, "asset", str(asset.id), NOW)
    assert links.link_views(db, risk) == []
    assert audit_actions(db, risk.id)[1:] == ["risk.linked", "risk.unlinked"]


def test_a_closed_risk_keeps_its_reason_and_can_no_longer_change(db):
    risk = make_risk(db)
    with pytest.raises(ValidationFailed) as refused:
        lifecycle.close_risk(db, MANAGE, risk.id, " ", TODAY, risk.version, LATER)
    assert refused.value.field == "reason"
    lifecycle.close_risk(db, MANAGE, risk.id, "System retired", LATER.date(), risk.version, LATER)
    loaded = service.get_risk(db, risk.id)
    assert (loaded.closed_reason, loaded.closed_at) == ("System retired", LATER)
    review = ReviewInput(LATER.date(), 2, 2, "")
    with pytest.raises(InvalidTransition):
        lifecycle.review_risk(db, MANAGE, POLICY, risk.id, review, loaded.version, LATER)
    data = dataclasses.replace(risk_input(risk.owner_user_id), title="New")
    with pytest.raises(InvalidTransition):
        service.update_risk(db, MANAGE, POLICY, risk.id, data, loaded.version, LATER)
