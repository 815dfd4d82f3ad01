"""Refusals, handlers and the disclosure log as services: what each records and audits,
and every way it refuses bad input without changing anything."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from ig.errors import EditConflict, InvalidTransition, PermissionDenied, ValidationFailed
from ig.rights import disclosures, handlers, handling, refusals, register, service
from ig.rights.models import Outcome
from ig.rights.presenter import rows_of, timeline
from ig.rights.refusal_models import RefusalScope, RightsDisclosure, RightsRefusal
from ig.rights.refusal_presenter import refusal_events, refusal_view
from ig.rights.refusal_rules import GroundInput, RefusalInput
from tests.rights.helpers import NOW, TODAY, actor, audit_actions, request_input

S43 = GroundInput("foi_s43", "Prejudice to the supplier's tenders", "For: spending. Against: ...")
S21 = GroundInput("foi_s21", "Already published on our website")
UNFOUNDED = GroundInput("manifestly_unfounded", "Sent to disrupt, offering to withdraw for money")


def logged(db, policies, team=None, **fields):
    return service.log_request(db, team or actor(db), policies.rights, request_input(**fields), NOW)


def refusal_count(db) -> int:
    return db.scalar(select(func.count()).select_from(RightsRefusal)) or 0


def test_a_partial_foi_refusal_is_recorded_audited_and_on_the_timeline(db, policies):
    team = actor(db)
    item = logged(db, policies, team, type_key="foi")
    refusal = refusals.record_refusal(
        db, team, policies.rights, item.id, RefusalInput("partial", (S43, S21)), NOW
    )
    assert refusal.scope is RefusalScope.PARTIAL
    assert [(g.ground_key, g.public_interest) for g in refusal.grounds] == [
        ("foi_s43", S43.public_interest),
        ("foi_s21", ""),
    ]
    assert audit_actions(db, item.id)[-1] == "rights.refused"
    view = refusal_view(refusal, policies.rights)
    row = rows_of([item], policies.rights, TODAY)[0]
    events = timeline(item, row, policies.rights, refusal_events(view, None))
    assert any("Refused in part under s.43" in text for _day, text in events)


def test_a_data_protection_refusal_may_charge_a_fee_instead(db, policies):
    team = actor(db)
    item = logged(db, policies, team)
    data = RefusalInput("fee", (UNFOUNDED,), fee_pence=2500)
    refusal = refusals.record_refusal(db, team, policies.rights, item.id, data, NOW)
    assert refusal_view(refusal, policies.rights).fee == "£25.00"


def test_neither_confirm_nor_deny_where_the_act_allows(db, policies):
    team = actor(db)
    item = logged(db, policies, team, type_key="eir")
    ground = GroundInput("eir_12_5_a", "Public safety", "Balance favours withholding")
    data = RefusalInput("full", (ground,), is_ncnd=True)
    assert refusals.record_refusal(db, team, policies.rights, item.id, data, NOW).is_ncnd


@pytest.mark.parametrize(
    ("type_key", "data", "field", "message"),
    [
        ("foi", RefusalInput("bogus", (S21,)), "scope", "in full or in part"),
        ("foi", RefusalInput("full", ()), "ground_1", "Choose the ground"),
        ("foi", RefusalInput("full", (S21, S21)), "ground_2", "already given"),
        ("foi", RefusalInput("full", (S21, S43, UNFOUNDED, S21)), "ground_1", "at most 3"),
        ("foi", RefusalInput("full", (UNFOUNDED,)), "ground_1", "policy allows"),
        ("subject_access", RefusalInput("full", (S21,)), "ground_1", "policy allows"),
        ("foi", RefusalInput("full", (GroundInput("foi_s21", " "),)), "reason_1", "Enter why"),
        ("foi", RefusalInput("full", (GroundInput("foi_s43", "Tenders"),)), "public_interest_1",
         "qualified"),
        ("eir", RefusalInput("full", (GroundInput("eir_12_4_a", "Not held"),)),
         "public_interest_1", "qualified"),
        ("foi", RefusalInput("full", (GroundInput("foi_s21", "Online", "On balance"),)),
         "public_interest_1", "no public interest test"),
        ("foi", RefusalInput("partial", (S43,), is_ncnd=True), "is_ncnd", "full refusal"),
        ("foi", RefusalInput("full", (S21,), is_ncnd=True), "is_ncnd", "s.21"),
        ("foi", RefusalInput("full", (S21,), fee_pence=100), "fee", "only instead"),
        ("foi", RefusalInput("fee", (S21,), fee_pence=100), "scope", "cannot be charged"),
        ("subject_access", RefusalInput("fee", (UNFOUNDED,)), "fee", "Enter the fee"),
        ("subject_access", RefusalInput("fee", (UNFOUNDED,), fee_pence=0), "fee", "between"),
        ("subject_access", RefusalInput("fee", (UNFOUNDED,), fee_pence=10**9), "fee", "between"),
        ("foi", RefusalInput("full", (GroundInput("foi_s21", "x" * 2001),)), "reason_1",
         "2,000"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field_and_records_nothing(
    db, policies, type_key, data, field, message
):
    team = actor(db)
    item = logged(db, policies, team, type_key=type_key)
    with pytest.raises(ValidationFailed, match=message) as caught:
        refusals.record_refusal(db, team, policies.rights, item.id, data, NOW)
    assert caught.value.field == field
    assert refusal_count(db) == 0
    assert "rights.refused" not in audit_actions(db, item.id)


def test_a_refusal_is_refused_when_the_request_cannot_take_one(db, policies):
    team = actor(db)
    complaint = logged(db, policies, team, type_key="complaint")
    with pytest.raises(InvalidTransition, match="cannot be refused"):
        refusals.record_refusal(db, team, policies.rights, complaint.id,
                                RefusalInput("full", (UNFOUNDED,)), NOW)  # fmt: skip
    item = logged(db, policies, team, type_key="foi")
    with pytest.raises(PermissionDenied):
        refusals.record_refusal(db, actor(db, "rights.read"), policies.rights, item.id,
                                RefusalInput("full", (S21,)), NOW)  # fmt: skip
    stale = item.version + 1
    with pytest.raises(EditConflict):
        refusals.record_refusal(db, team, policies.rights, item.id,
                                RefusalInput("full", (S21,)), NOW, stale)  # fmt: skip
    refusals.record_refusal(db, team, policies.rights, item.id, RefusalInput("full", (S21,)), NOW)
    with pytest.raises(InvalidTransition, match="already recorded"):
        refusals.record_refusal(db, team, policies.rights, item.id,
                                RefusalInput("full", (S21,)), NOW)  # fmt: skip
    other = logged(db, policies, team, type_key="foi")
    handling.close_request(db, team, other.id, Outcome.COMPLETE, TODAY, "", NOW)
    with pytest.raises(InvalidTransition, match="closed"):
        refusals.record_refusal(db, team, policies.rights, other.id,
                                RefusalInput("full", (S21,)), NOW)  # fmt: skip
    assert refusal_count(db) == 1


def test_a_handler_is_one_of_the_team_and_each_change_is_audited(db, policies):
    team = actor(db)
    officer, staff = actor(db), actor(db, role="staff")
    item = logged(db, policies, team)
    roles = policies.roles
    assert officer.user_id in {u.id for u in handlers.list_handlers(db, roles)}
    assert staff.user_id not in {u.id for u in handlers.list_handlers(db, roles)}
    handlers.assign_handler(db, team, roles, item.id, officer.user_id, NOW)
    assert item.handler.id == officer.user_id
    mine = register.list_requests(db, register.RequestFilter(handler_user_id=officer.user_id),
                                  TODAY)  # fmt: skip
    assert [r.id for r in mine.rows] == [item.id]
    assert register.list_requests(db, register.RequestFilter(handler_user_id=team.user_id),
                                  TODAY).total == 0  # fmt: skip
    for user_id, message in [(staff.user_id, "Choose someone"), (-1, "Choose someone"),
                             (officer.user_id, "already handle")]:  # fmt: skip
        with pytest.raises(ValidationFailed, match=message):
            handlers.assign_handler(db, team, roles, item.id, user_id, NOW)
    with pytest.raises(PermissionDenied):
        handlers.assign_handler(db, actor(db, "rights.read"), roles, item.id, None, NOW)
    with pytest.raises(EditConflict):
        handlers.assign_handler(db, team, roles, item.id, None, NOW, version=item.version + 1)
    handlers.assign_handler(db, team, roles, item.id, None, NOW)
    assert item.handler is None
    assert audit_actions(db, item.id).count("rights.handler_changed") == 2
    handling.close_request(db, team, item.id, Outcome.COMPLETE, TODAY, "", NOW)
    with pytest.raises(InvalidTransition):
        handlers.assign_handler(db, team, roles, item.id, officer.user_id, NOW)


def closed_foi(db, policies, team, outcome=Outcome.COMPLETE, **fields):
    item = logged(db, policies, team, type_key="foi", **fields)
    handling.close_request(db, team, item.id, outcome, TODAY, "Sent", NOW)
    return item


def test_the_disclosure_log_pages_the_latest_first(db, policies):
    team = actor(db)
    for title in ("First", "Second", "Third"):
        item = closed_foi(db, policies, team)
        disclosures.publish(db, team, policies.rights, item.id, title, "Asked", "Sent", NOW)
    first, second = disclosures.list_log(db, 1, 2), disclosures.list_log(db, 2, 2)
    assert [row[0].title for row in first.rows] == ["Third", "Second"]
    assert [row[0].title for row in second.rows] == ["First"]
    assert (first.total, first.pages) == (3, 2)
    assert len(disclosures.list_log(db).rows) == 3  # the CSV's: every row


def test_publishing_to_the_disclosure_log_and_taking_it_off_are_audited(db, policies):
    team = actor(db)
    item = closed_foi(db, policies, team)
    disclosure = disclosures.publish(
        db, team, policies.rights, item.id, "Late requests", "How many were late", "41", NOW
    )
    assert disclosure.published_on == TODAY
    ((entry, type_key, outcome, refusal),) = disclosures.list_log(db).rows
    assert (entry.title, type_key, outcome, refusal) == ("Late requests", "foi", Outcome.COMPLETE,
                                                         None)  # fmt: skip
    with pytest.raises(InvalidTransition, match="already"):
        disclosures.publish(db, team, policies.rights, item.id, "Again", "A", "B", NOW)
    disclosures.unpublish(db, team, item.id, NOW)
    assert disclosures.list_log(db).rows == []
    with pytest.raises(InvalidTransition, match="not on the disclosure log"):
        disclosures.unpublish(db, team, item.id, NOW)
    assert audit_actions(db, item.id)[-2:] == ["rights.published", "rights.unpublished"]


@pytest.mark.parametrize(
    ("texts", "field", "message"),
    [
        (("", "A", "B"), "title", "Enter a title"),
        (("T", " ", "B"), "request_summary", "Enter what was asked"),
        (("T", "A", ""), "response_summary", "Enter what was released"),
        (("T", "Asked by JO BLOGGS, on behalf of a group", "B"), "request_summary", "public"),
        (("T", "A", "Sent to jo@example.org."), "response_summary", "public"),
        (("Case CASE-1234", "A", "B"), "title", "public"),
        (("x" * 201, "A", "B"), "title", "200 characters"),
    ],
)
def test_a_disclosure_never_names_the_requester(db, policies, texts, field, message):
    team = actor(db)
    item = closed_foi(db, policies, team)
    with pytest.raises(ValidationFailed, match=message) as caught:
        disclosures.publish(db, team, policies.rights, item.id, *texts, NOW)
    assert caught.value.field == field
    assert db.scalar(select(func.count()).select_from(RightsDisclosure)) == 0


def test_only_answered_foi_and_eir_requests_are_published(db, policies):
    team = actor(db)
    sar = logged(db, policies, team)
    handling.close_request(db, team, sar.id, Outcome.COMPLETE, TODAY, "", NOW)
    still_open = logged(db, policies, team, type_key="eir")
    withdrawn = closed_foi(db, policies, team, Outcome.WITHDRAWN)
    for item, message in [(sar, "Only FOI and EIR"), (still_open, "Record the response"),
                          (withdrawn, "withdrawn")]:  # fmt: skip
        with pytest.raises(InvalidTransition, match=message):
            disclosures.publish(db, team, policies.rights, item.id, "T", "A", "B", NOW)
    answered = closed_foi(db, policies, team)
    with pytest.raises(PermissionDenied):
        disclosures.publish(db, actor(db, "rights.read"), policies.rights, answered.id, "T", "A",
                            "B", NOW)  # fmt: skip
    with pytest.raises(PermissionDenied):
        disclosures.unpublish(db, actor(db, "rights.read"), answered.id, NOW)
    assert db.scalar(select(func.count()).select_from(RightsDisclosure)) == 0


def test_the_refusal_date_is_london_today(db, policies):
    team = actor(db)
    item = logged(db, policies, team, type_key="foi")
    late = dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.UTC)  # GMT: still the 20th
    refusal = refusals.record_refusal(db, team, policies.rights, item.id,
                                      RefusalInput("full", (S21,)), late)  # fmt: skip
    assert refusal.recorded_on == dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    ("scope", "outcome", "message"),
    [
        (None, Outcome.REFUSED, "Record the refusal"),
        ("full", Outcome.COMPLETE, "refused in full"),
        ("full", Outcome.PARTIAL, "choose Refused"),
        ("partial", Outcome.COMPLETE, "refused in part"),
        ("partial", Outcome.REFUSED, "choose Partial"),
        ("full", Outcome.REFUSED, None),
        ("partial", Outcome.WITHDRAWN, None),
    ],
)
def test_the_outcome_agrees_with_the_refusal(db, policies, scope, outcome, message):
    team = actor(db)
    item = logged(db, policies, team, type_key="foi")
    if scope:
        refusals.record_refusal(db, team, policies.rights, item.id,
                                RefusalInput(scope, (S21,)), NOW)  # fmt: skip
    if message is None:
        handling.close_request(db, team, item.id, outcome, TODAY, "Sent", NOW)
        assert item.outcome is outcome
        return
    with pytest.raises(ValidationFailed, match=message) as caught:
        handling.close_request(db, team, item.id, outcome, TODAY, "Sent", NOW)
    assert caught.value.field == "outcome"
    assert item.outcome is None


def test_a_fee_charged_lets_any_outcome_follow(db, policies):
    team = actor(db)
    item = logged(db, policies, team)
    refusals.record_refusal(db, team, policies.rights, item.id,
                            RefusalInput("fee", (UNFOUNDED,), fee_pence=1000), NOW)  # fmt: skip
    handling.close_request(db, team, item.id, Outcome.COMPLETE, TODAY, "", NOW)
    assert item.outcome is Outcome.COMPLETE
