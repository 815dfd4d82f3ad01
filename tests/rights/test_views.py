"""The rights pages: who may open them, logging, the register's order, the request page
and its clock actions; bad input gets a clear message and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from ig.db import london_today, utcnow
from ig.rights import handling, service
from ig.rights.models import PauseReason, RequestStatus, RightsPause, RightsRequest
from tests.queries import statements_for_get
from tests.rights.helpers import actor, audit_actions, request_input

TODAY = london_today()


def date_fields(name: str, day: dt.date) -> dict[str, list[str]]:
    """A GOV.UK date input's three boxes, sent under the field's name."""
    return {name: [str(day.day), str(day.month), str(day.year)]}


def logged(db, policies, **fields):
    return service.log_request(db, actor(db), policies.rights, request_input(**fields), utcnow())


def form_for(day: dt.date, **changes: object) -> dict[str, object]:
    return {
        "type_key": "subject_access",
        "channel": "email",
        "requester_name": "Ann Other",
        "requester_identifier": "C-77",
        "requester_contact": "ann@example.org",
        "summary": "Copies of my records",
        **date_fields("received_on", day),
        **changes,
    }


def count(db) -> int:
    return db.scalar(select(func.count(RightsRequest.id))) or 0


def test_the_register_needs_rights_read(client, login_as):
    assert client.get("/rights/").status_code == 302
    login_as("staff")
    assert client.get("/rights/").status_code == 403
    assert client.get("/rights/new").status_code == 200
    login_as("administrator")
    assert client.get("/rights/new").status_code == 403


def test_staff_log_a_request_and_are_told_the_team_has_it(client, db, login_as):
    login_as("staff")
    response = client.post("/rights/new", data=form_for(TODAY))
    assert response.status_code == 302
    item = db.scalar(select(RightsRequest))
    assert (item.requester_name, item.received_on) == ("Ann Other", TODAY)
    page = client.get(response.headers["Location"])
    assert b"Request logged" in page.data
    assert item.reference.encode() in page.data
    assert b"Ann Other" not in page.data


def test_the_team_logs_on_behalf_and_sees_the_request(client, db, login_as):
    login_as("information_rights_officer")
    data = form_for(TODAY, representative_name="Sam Solicitor", authority="Signed authority")
    response = client.post("/rights/new", data=data)
    item = db.scalar(select(RightsRequest))
    assert response.headers["Location"].endswith(f"/rights/{item.id}")
    page = client.get(f"/rights/{item.id}")
    assert b"Sam Solicitor" in page.data
    assert b"Timeline" in page.data
    assert "rights.detail_viewed" in audit_actions(db, item.id)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            # A week ahead: TODAY is read when the tests are collected, and a run may
            # pass midnight before this one runs.
            {**date_fields("received_on", TODAY + dt.timedelta(days=7))},
            b"must be today or in the past",
        ),
        ({"received_on": ["31", "2", "2026"]}, b"must be a real date"),
        ({"requester_name": ""}, b"Enter the requester&#39;s name"),
        ({"type_key": "nonsense"}, b"Not a valid choice"),
        ({"representative_name": "Sam"}, b"Enter the authority to act"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(client, db, login_as, changes, message):
    login_as("information_rights_officer")
    response = client.post("/rights/new", data=form_for(TODAY, **changes))
    assert response.status_code == 422
    assert message in response.data
    assert b"govuk-error-summary" in response.data
    assert count(db) == 0


def test_the_register_shows_the_most_urgent_first_in_uk_dates(client, db, login_as, policies):
    later = logged(db, policies, received_on=TODAY - dt.timedelta(days=2))
    overdue = logged(db, policies, received_on=TODAY - dt.timedelta(days=60))
    soon = logged(db, policies, received_on=TODAY - dt.timedelta(days=20))
    closed = logged(db, policies, received_on=TODAY - dt.timedelta(days=90))
    handling.close_request(db, actor(db), closed.id, handling.Outcome.COMPLETE, TODAY, "", utcnow())
    login_as("information_rights_officer")
    page = client.get("/rights/").data.decode()
    positions = [page.index(item.reference) for item in (overdue, soon, later, closed)]
    assert positions == sorted(positions)
    assert f"{overdue.due_on:%-d %B %Y}" in page
    assert "overdue" in page
    only_overdue = client.get("/rights/?state=overdue").data.decode()
    assert overdue.reference in only_overdue
    assert soon.reference not in only_overdue


def test_the_register_filters_by_kind_and_refuses_nonsense_quietly(client, db, login_as, policies):
    foi = logged(db, policies, type_key="foi")
    sar = logged(db, policies)
    login_as("ig_officer")
    page = client.get("/rights/?type=foi").data.decode()
    assert foi.reference in page
    assert sar.reference not in page
    assert client.get("/rights/?state=bogus&page=x").status_code == 200


def test_stopping_and_restarting_the_clock(client, db, login_as, policies):
    item = logged(db, policies, received_on=TODAY - dt.timedelta(days=10))
    login_as("information_rights_officer")
    start = TODAY - dt.timedelta(days=8)
    data = {"version": item.version, "reason": "identity", **date_fields("start", start)}
    assert client.post(f"/rights/{item.id}/pause", data=data).status_code == 302
    db.expire_all()
    assert db.get(RightsRequest, item.id).status is RequestStatus.PAUSED
    restart = {"version": db.get(RightsRequest, item.id).version, **date_fields("end", TODAY)}
    assert client.post(f"/rights/{item.id}/restart", data=restart).status_code == 302
    db.expire_all()
    assert db.get(RightsRequest, item.id).status is RequestStatus.OPEN
    assert b"8 days paused" in client.get(f"/rights/{item.id}").data


def test_a_pause_ending_before_it_starts_changes_nothing(client, db, login_as, policies):
    item = logged(db, policies, received_on=TODAY - dt.timedelta(days=10))
    login_as("information_rights_officer")
    data = {
        "version": item.version,
        "reason": "fee",
        **date_fields("start", TODAY - dt.timedelta(days=3)),
        **date_fields("end", TODAY - dt.timedelta(days=5)),
    }
    response = client.post(f"/rights/{item.id}/pause", data=data)
    assert response.status_code == 422
    assert b"The pause cannot end before it starts" in response.data
    assert db.scalar(select(func.count(RightsPause.id))) == 0


def test_an_extension_after_the_first_month_is_refused_on_the_page(client, db, login_as, policies):
    item = logged(db, policies, received_on=TODAY - dt.timedelta(days=45))
    login_as("information_rights_officer")
    data = {
        "version": item.version,
        "length": "2",
        "reason": "Complex",
        **date_fields("told_on", TODAY),
    }
    response = client.post(f"/rights/{item.id}/extend", data=data)
    assert response.status_code == 422
    assert b"within the first month" in response.data
    db.expire_all()
    assert db.get(RightsRequest, item.id).extension_told_on is None


def test_closing_from_the_page(client, db, login_as, policies):
    item = logged(db, policies, received_on=TODAY - dt.timedelta(days=5))
    login_as("information_rights_officer")
    data = {"version": item.version, "outcome": "partial", "note": "Third-party data withheld"}
    response = client.post(
        f"/rights/{item.id}/close", data={**data, **date_fields("sent_on", TODAY)}
    )
    assert response.status_code == 302
    db.expire_all()
    assert db.get(RightsRequest, item.id).status is RequestStatus.CLOSED
    assert b"Record the response" not in client.get(f"/rights/{item.id}").data


def test_actions_need_rights_manage(client, db, login_as, policies):
    item = logged(db, policies)
    login_as("auditor")
    assert client.get(f"/rights/{item.id}").status_code == 200
    for action in ("pause", "restart", "extend", "close"):
        assert client.get(f"/rights/{item.id}/{action}").status_code == 403
    assert client.get("/rights/999999").status_code == 404


def test_earlier_requests_from_the_same_person_are_listed(client, db, login_as, policies):
    first = logged(db, policies, received_on=TODAY - dt.timedelta(days=30))
    second = logged(db, policies, type_key="erasure")
    login_as("information_rights_officer")
    page = client.get(f"/rights/{second.id}").data.decode()
    assert first.reference in page


def test_the_register_and_a_request_cost_the_same_statements_however_many_rows(
    client, db, engine, login_as, policies
):
    item = logged(db, policies, received_on=TODAY - dt.timedelta(days=20))
    logged(db, policies)  # an earlier request from the same person, as the page lists
    login_as("information_rights_officer")
    few = statements_for_get(engine, client, "/rights/")
    page_few = statements_for_get(engine, client, f"/rights/{item.id}")
    team = actor(db)
    for number in range(5):
        other = logged(db, policies, received_on=TODAY - dt.timedelta(days=number))
        handling.pause_clock(
            db, team, policies.rights, other.id, PauseReason.FEE, TODAY, None, utcnow()
        )
    start = TODAY - dt.timedelta(days=18)
    handling.pause_clock(
        db, team, policies.rights, item.id, PauseReason.IDENTITY, start, start, utcnow()
    )
    assert statements_for_get(engine, client, "/rights/") == few
    assert statements_for_get(engine, client, f"/rights/{item.id}") == page_few
    assert few <= 7  # session, savepoints, the count, the page, its pauses
