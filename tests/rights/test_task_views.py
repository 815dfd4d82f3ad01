"""The search pages: the team asks an asset's owner from the request's page; the owner
sees their searches on the home page and a list, and records what they found; the
request's page refuses to close while a search is open."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from ig.db import london_today, utcnow
from ig.rights import fanout, service
from ig.rights.models import RequestStatus, RightsRequest, RightsTask, TaskStatus
from tests.factories import make_asset
from tests.rights.helpers import actor, request_input
from tests.rights.test_views import date_fields

TODAY = london_today()


def logged(db, policies, **fields):
    data = request_input(received_on=TODAY - dt.timedelta(days=3), **fields)
    return service.log_request(db, actor(db), policies.rights, data, utcnow())


def ask(db, item, asset):
    fanout.add_tasks(db, actor(db), item.id, [asset.name], "Where they were a client", utcnow())
    return fanout.list_tasks(db, item.id)[-1]


def test_the_team_asks_an_owner_from_the_request(client, db, login_as, policies):
    item = logged(db, policies, type_key="erasure")
    make_asset(db, name="Mosaic case records")
    login_as("information_rights_officer")
    page = client.get(f"/rights/{item.id}").data.decode()
    assert "Ask an information asset owner to search" in page
    assert client.get(f"/rights/{item.id}/ask").status_code == 200
    data = {"asset": "Mosaic case records", "note": "The only adult case system"}
    response = client.post(f"/rights/{item.id}/ask", data=data)
    assert response.status_code == 302
    page = client.get(f"/rights/{item.id}").data.decode()
    assert "Mosaic case records" in page
    assert "The only adult case system" in page


def test_asking_for_an_asset_that_does_not_exist_is_refused(client, db, login_as, policies):
    item = logged(db, policies)
    login_as("information_rights_officer")
    response = client.post(f"/rights/{item.id}/ask", data={"asset": "Nothing", "note": "Why"})
    assert response.status_code == 422
    assert b"No information asset is called Nothing" in response.data
    assert db.scalar(select(func.count(RightsTask.id))) == 0


def test_only_the_team_asks_and_searches_assets(client, db, login_as, policies):
    item = logged(db, policies)
    login_as("manager")
    assert client.get(f"/rights/{item.id}/ask").status_code == 403
    assert client.get("/rights/assets/search?q=case").status_code == 403
    login_as("information_rights_officer")
    make_asset(db, name="Liquidlogic children's records")
    found = client.get("/rights/assets/search?q=liquidlogic").json
    assert [choice["name"] for choice in found] == ["Liquidlogic children's records"]


def test_the_owner_is_told_on_the_home_page_and_records_the_search(client, db, login_as, policies):
    owner = login_as("manager")
    asset = make_asset(db, owner=owner, name="Social care recordings")
    item = logged(db, policies, type_key="erasure")
    task = ask(db, item, asset)
    home = client.get("/").data.decode()
    assert "Search your systems for information rights requests" in home
    listing = client.get("/rights/tasks").data.decode()
    assert f"Search Social care recordings for {item.reference}" in listing
    page = client.get(f"/rights/tasks/{task.id}").data.decode()
    assert "Jo Bloggs" in page
    assert "What was done with it?" in page
    data = {
        "version": task.version, "is_found": "yes", "findings": "Three recordings",
        "removal": "deleted", **date_fields("removed_on", TODAY),
    }  # fmt: skip
    assert client.post(f"/rights/tasks/{task.id}", data=data).status_code == 302
    db.expire_all()
    assert db.get(RightsTask, task.id).status is TaskStatus.DONE
    assert "No searches are waiting for you" in client.get("/rights/tasks").data.decode()


def test_a_bad_answer_is_refused_on_the_page(client, db, login_as, policies):
    owner = login_as("manager")
    task = ask(db, logged(db, policies, type_key="erasure"), make_asset(db, owner=owner))
    data = {
        "version": task.version, "is_found": "yes", "findings": "Three recordings",
        "removal": "deleted", **date_fields("removed_on", TODAY + dt.timedelta(days=2)),
    }  # fmt: skip
    response = client.post(f"/rights/tasks/{task.id}", data=data)
    assert response.status_code == 422
    assert b"must be today or in the past" in response.data
    db.expire_all()
    assert db.get(RightsTask, task.id).status is TaskStatus.OPEN


def test_someone_else_cannot_open_or_record_an_owners_search(client, db, login_as, policies):
    task = ask(db, logged(db, policies), make_asset(db))
    login_as("manager")
    assert client.get(f"/rights/tasks/{task.id}").status_code == 404
    data = {"version": task.version, "is_found": "no", "findings": "Nothing"}
    assert client.post(f"/rights/tasks/{task.id}", data=data).status_code == 404
    login_as("information_rights_officer")  # reads it, cannot record it
    page = client.get(f"/rights/tasks/{task.id}").data.decode()
    assert "Record the search" not in page
    assert client.post(f"/rights/tasks/{task.id}", data=data).status_code == 403
    db.expire_all()
    assert db.get(RightsTask, task.id).status is TaskStatus.OPEN


def test_closing_with_a_search_open_is_refused_with_a_message(client, db, login_as, policies):
    item = logged(db, policies)
    ask(db, item, make_asset(db))
    login_as("information_rights_officer")
    data = {"version": item.version, "outcome": "complete", **date_fields("sent_on", TODAY)}
    response = client.post(f"/rights/{item.id}/close", data=data)
    assert response.status_code == 422
    assert b"search is still open" in response.data
    db.expire_all()
    assert db.get(RightsRequest, item.id).status is RequestStatus.OPEN


def test_the_owners_list_costs_the_same_statements_however_many(client, db, engine, login_as,
                                                                 policies):  # fmt: skip
    from tests.queries import statements_for_get

    owner = login_as("manager")
    asset = make_asset(db, owner=owner)
    ask(db, logged(db, policies), asset)
    client.get("/")  # the session's first-visit bookkeeping
    db.commit()
    few = statements_for_get(engine, client, "/rights/tasks")
    for _ in range(4):
        ask(db, logged(db, policies), asset)
    db.commit()  # the set-up's own statements are not the page's
    assert statements_for_get(engine, client, "/rights/tasks") == few


def test_the_request_page_costs_the_same_statements_however_many_searches(
    client, db, engine, login_as, policies
):
    from tests.queries import statements_for_get

    item = logged(db, policies, type_key="erasure")
    ask(db, item, make_asset(db, name="First system"))
    login_as("information_rights_officer")
    client.get("/rights/")  # the session's first-visit bookkeeping
    db.commit()
    few = statements_for_get(engine, client, f"/rights/{item.id}")
    for number in range(4):
        ask(db, item, make_asset(db, name=f"System {number}"))
    db.commit()  # the set-up's own statements are not the page's
    assert statements_for_get(engine, client, f"/rights/{item.id}") == few


def test_the_team_records_consent_withdrawn_from_the_request(client, db, login_as, policies):
    from tests.rights.test_consent import consent_activity

    asset = make_asset(db, name="Trial recordings store")
    trial = consent_activity(db, asset, name="Visit transcription trial")
    item = logged(db, policies, type_key="consent_withdrawal")
    erasure = logged(db, policies, type_key="erasure")
    login_as("information_rights_officer")
    assert client.get(f"/rights/{erasure.id}/consent").status_code == 404
    assert "Visit transcription trial" in client.get(f"/rights/{item.id}/consent").data.decode()
    response = client.post(f"/rights/{item.id}/consent", data={"note": "Why"})
    assert response.status_code == 422
    assert b"Choose the processing activities" in response.data
    data = {"activities": str(trial.id), "note": "Only the trial's systems hold it"}
    assert client.post(f"/rights/{item.id}/consent", data=data).status_code == 302
    page = client.get(f"/rights/{item.id}").data.decode()
    assert "Consent withdrawn from" in page
    assert "Visit transcription trial" in page
    assert "Trial recordings store" in page
