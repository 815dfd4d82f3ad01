"""The refusal, notice, handler and disclosure log pages: who may open them, what they
show, and that the public log never shows who asked."""

from __future__ import annotations

from sqlalchemy import select

from ig.db import london_today, utcnow
from ig.rights import handling, refusals, service
from ig.rights.models import Outcome
from ig.rights.refusal_models import RightsRefusal
from ig.rights.refusal_rules import GroundInput, RefusalInput
from tests.rights.helpers import actor, audit_actions, request_input

TODAY = london_today()
S43 = GroundInput("foi_s43", "The rates would prejudice open tenders",
                  "Spending is of interest, but fair tenders outweigh it")  # fmt: skip


def logged(db, policies, **fields):
    return service.log_request(db, actor(db), policies.rights, request_input(**fields), utcnow())


def test_the_team_refuses_a_request_and_bad_input_changes_nothing(client, db, login_as, policies):
    item = logged(db, policies, type_key="foi")
    complaint = logged(db, policies, type_key="complaint")
    login_as("staff")
    assert client.get(f"/rights/{item.id}/refuse").status_code == 403
    login_as("information_rights_officer")
    assert client.get(f"/rights/{complaint.id}/refuse").status_code == 404
    page = client.get(f"/rights/{item.id}/refuse")
    assert b"s.43: commercial interests" in page.data
    assert b"Manifestly unfounded" not in page.data
    assert b"reasonable fee" not in page.data  # UK GDPR Art. 12(5)(a) only
    form = {"version": item.version, "scope": "full", "ground_1": "foi_s43",
            "reason_1": S43.reason}  # fmt: skip
    orphan = client.post(
        f"/rights/{item.id}/refuse", data={**form, "public_interest_1": "x", "reason_2": "Also"}
    )
    assert orphan.status_code == 422  # a reason given without its ground is not dropped
    assert b"Choose a ground that the policy allows" in orphan.data
    refused = client.post(f"/rights/{item.id}/refuse", data=form)
    assert refused.status_code == 422
    assert b"Enter the public interest reasoning" in refused.data
    assert db.scalar(select(RightsRefusal)) is None
    form["public_interest_1"] = S43.public_interest
    assert client.post(f"/rights/{item.id}/refuse", data=form).status_code == 302
    page = client.get(f"/rights/{item.id}").data.decode()
    assert "Refused in full under s.43" in page
    assert "The refusal notice" in page


def test_the_notice_names_the_grounds_and_the_rights_and_no_one_else(
    client, db, login_as, policies
):
    team = actor(db)
    item = logged(db, policies, type_key="foi")
    earlier = logged(db, policies, type_key="foi", requester_name="Another Person")
    data = RefusalInput("partial", (S43, GroundInput("foi_s40_2", "Junior staff names")))
    refusals.record_refusal(db, team, policies.rights, item.id, data, utcnow())
    sar = logged(db, policies)
    refusals.record_refusal(db, team, policies.rights, sar.id,
                            RefusalInput("full", (GroundInput("manifestly_excessive", "x"),)),
                            utcnow())  # fmt: skip
    login_as("staff")
    assert client.get(f"/rights/{item.id}/notice").status_code == 403
    login_as("information_rights_officer")
    assert client.get(f"/rights/{sar.id}/notice").status_code == 404
    page = client.get(f"/rights/{item.id}/notice").data.decode()
    for text in ("section 17 of the Freedom of Information Act 2000", "Refused in part",
                 "s.43: commercial interests", S43.reason, S43.public_interest,
                 "s.40(2): personal data", "Junior staff names", "internal review",
                 "40 working days", "Information Commissioner", "Jo Bloggs"):  # fmt: skip
        assert text in page, text
    assert "Another Person" not in page
    assert earlier.reference not in page
    assert 'class="govuk-service-navigation ig-no-print' in page or "ig-no-print" in page
    assert "rights.detail_viewed" in audit_actions(db, item.id)


def test_the_handler_is_set_on_the_request_page_and_mine_filters(client, db, login_as, policies):
    item = logged(db, policies)
    other = logged(db, policies)
    staff = actor(db, role="staff")
    me = login_as("information_rights_officer")
    page = client.get(f"/rights/{item.id}").data.decode()
    assert f'action="/rights/{item.id}/handler"' in page
    bad = client.post(f"/rights/{item.id}/handler",
                      data={"version": item.version, "handler": str(staff.user_id)})  # fmt: skip
    assert bad.status_code == 422
    assert b"Choose someone in the information rights team" in bad.data
    good = {"version": item.version, "handler": str(me.id)}
    assert client.post(f"/rights/{item.id}/handler", data=good).status_code == 302
    mine = client.get("/rights/?mine=y").data.decode()
    assert item.reference in mine
    assert other.reference not in mine
    assert me.name in mine
    assert "rights.handler_changed" in audit_actions(db, item.id)


def test_publishing_and_unpublishing_from_the_request_page(client, db, login_as, policies):
    team = actor(db)
    item = logged(db, policies, type_key="foi")
    handling.close_request(db, team, item.id, Outcome.COMPLETE, TODAY, "Sent", utcnow())
    login_as("staff")
    assert client.get(f"/rights/{item.id}/publish").status_code == 403
    assert client.post(f"/rights/{item.id}/unpublish").status_code == 403
    login_as("information_rights_officer")
    form = {"title": "Budget", "request_summary": "Jo Bloggs asked", "response_summary": "Sent"}
    refused = client.post(f"/rights/{item.id}/publish", data=form)
    assert refused.status_code == 422
    assert b"the disclosure log is public" in refused.data
    form["request_summary"] = "The 2026 budget for social care"
    assert client.post(f"/rights/{item.id}/publish", data=form).status_code == 302
    assert client.post(f"/rights/{item.id}/unpublish").status_code == 302
    assert client.post(f"/rights/{item.id}/unpublish").status_code == 409
    assert audit_actions(db, item.id)[-2:] == ["rights.published", "rights.unpublished"]
