"""The DPIA page's links to processing activities and information assets, and the DPIAs
on the activity's and the asset's pages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ig.dpia import record_links
from ig.dpia.models import dpia_information_assets, dpia_processing_activities
from tests.dpia.conftest import NOW, audit_actions, make_dpia
from tests.dpia.test_views import as_officer
from tests.factories import make_asset, make_user
from tests.processing.data import make_activity

FIELDS = {"activities": "activity", "assets": "asset"}
TABLES = {"activities": dpia_processing_activities, "assets": dpia_information_assets}


def _records(db):
    owner = make_user(db, roles=("manager",), name="Asset Owner")
    return {
        "activities": make_activity(db, owner, name="Children's social care referrals"),
        "assets": make_asset(db, owner, name="Liquidlogic children's system"),
    }


@pytest.mark.parametrize("kind", ["activities", "assets"])
def test_the_ig_team_links_and_unlinks_by_number_or_name(client, login_as, db, policies, kind):
    author = as_officer(login_as("ig_officer"))
    dpia_id = make_dpia(db, policies.dpia, author)
    target = _records(db)[kind]
    page = client.get(f"/dpias/{dpia_id}").get_data(as_text=True)
    assert f'action="/dpias/{dpia_id}/{kind}"' in page
    response = client.post(f"/dpias/{dpia_id}/{kind}", data={FIELDS[kind]: target.name.upper()})
    assert response.status_code == 302
    page = client.get(f"/dpias/{dpia_id}").get_data(as_text=True)
    assert target.name.replace("'", "&#39;") in page
    assert f'href="/{"processing" if kind == "activities" else "assets"}/{target.id}"' in page
    assert "dpia." + FIELDS[kind] + "_linked" in audit_actions(db, dpia_id)
    unlink = client.post(f"/dpias/{dpia_id}/{kind}/{target.id}/unlink")
    assert unlink.status_code == 302
    assert db.scalar(select(func.count()).select_from(TABLES[kind])) == 0


@pytest.mark.parametrize("kind", ["activities", "assets"])
def test_an_unknown_reference_shows_a_clear_message_and_links_nothing(
    client, login_as, db, policies, kind
):
    author = as_officer(login_as("ig_officer"))
    dpia_id = make_dpia(db, policies.dpia, author)
    _records(db)
    response = client.post(f"/dpias/{dpia_id}/{kind}", data={FIELDS[kind]: "No such thing"})
    assert response.status_code == 422
    assert "No such thing: check the" in response.get_data(as_text=True)
    assert "govuk-error-summary" in response.get_data(as_text=True)
    empty = client.post(f"/dpias/{dpia_id}/{kind}", data={FIELDS[kind]: ""})
    assert empty.status_code == 422
    assert db.scalar(select(func.count()).select_from(TABLES[kind])) == 0


@pytest.mark.parametrize("role", ["auditor", "siro", "staff"])
@pytest.mark.parametrize("kind", ["activities", "assets"])
def test_only_the_ig_team_links(client, login_as, db, policies, role, kind):
    author = as_officer(make_user(db, roles=("ig_officer",)))
    dpia_id = make_dpia(db, policies.dpia, author)
    target = _records(db)[kind]
    login_as(role)
    assert (
        client.post(f"/dpias/{dpia_id}/{kind}", data={FIELDS[kind]: target.name}).status_code == 403
    )
    assert client.post(f"/dpias/{dpia_id}/{kind}/{target.id}/unlink").status_code == 403
    assert db.scalar(select(func.count()).select_from(TABLES[kind])) == 0


def test_the_activity_and_asset_pages_list_their_dpias(client, login_as, db, policies):
    reader = login_as("ig_officer")
    dpia_id = make_dpia(db, policies.dpia, as_officer(reader), title="Referrals DPIA")
    records = _records(db)
    by = as_officer(reader)
    record_links.link_record(
        db, by, record_links.ACTIVITY, dpia_id, str(records["activities"].id), NOW
    )
    record_links.link_record(db, by, record_links.ASSET, dpia_id, str(records["assets"].id), NOW)
    for page in (f"/processing/{records['activities'].id}", f"/assets/{records['assets'].id}"):
        shown = client.get(page).get_data(as_text=True)
        assert f'<a class="govuk-link" href="/dpias/{dpia_id}">Referrals DPIA</a>' in shown, page


def test_pages_without_dpia_read_do_not_list_dpias(client, login_as, db, policies):
    author = as_officer(make_user(db, roles=("ig_officer",)))
    dpia_id = make_dpia(db, policies.dpia, author, title="Referrals DPIA")
    owner = login_as("manager")
    asset = make_asset(db, owner, name="Team spreadsheet")
    record_links.link_record(db, author, record_links.ASSET, dpia_id, str(asset.id), NOW)
    shown = client.get(f"/assets/{asset.id}")
    assert shown.status_code == 200  # the owner sees their asset
    assert "Referrals DPIA" not in shown.get_data(as_text=True)
    unlinked = make_asset(db, owner, name="Other spreadsheet")
    login_as("ig_officer")
    page = client.get(f"/assets/{unlinked.id}").get_data(as_text=True)
    assert "No DPIA in the register links this asset" in page


def test_the_agreement_page_links_its_dpias_and_keeps_the_outside_reference(
    client, login_as, db, policies
):
    from ig.dpia import links
    from tests.factories import make_organisation, make_sharing_agreement

    reader = login_as("ig_officer")
    own = make_organisation(db, name="Eastmere Council", is_self=True)
    agreement = make_sharing_agreement(
        db, policies.sharing, own, dpia_reference="NHS-NCL-DPIA-0042"
    )
    dpia_id = make_dpia(db, policies.dpia, as_officer(reader), title="Shared care record DPIA")
    links.link_agreement(db, as_officer(reader), dpia_id, agreement.reference, NOW)
    page = client.get(f"/sharing/agreements/{agreement.id}").get_data(as_text=True)
    assert f'<a class="govuk-link" href="/dpias/{dpia_id}">Shared care record DPIA</a>' in page
    assert "DPIA held outside ig" in page
    assert "NHS-NCL-DPIA-0042" in page
    form = client.get(f"/sharing/agreements/{agreement.id}/edit").get_data(as_text=True)
    assert 'value="NHS-NCL-DPIA-0042"' in form  # kept when the agreement is next saved
    assert "linked from the DPIA&#39;s own page" in form


def test_the_link_fields_search_activities_and_assets_by_name(client, login_as, db, policies):
    author = as_officer(login_as("ig_officer"))
    dpia_id = make_dpia(db, policies.dpia, author)
    records = _records(db)
    page = client.get(f"/dpias/{dpia_id}").get_data(as_text=True)
    assert 'data-picker-url="/dpias/activities/search"' in page
    assert 'data-picker-url="/dpias/assets/search"' in page
    found = client.get("/dpias/activities/search?q=referrals").get_json()
    assert found == [{"id": records["activities"].id, "name": "Children's social care referrals"}]
    found = client.get("/dpias/assets/search?q=liquid").get_json()
    assert found == [{"id": records["assets"].id, "name": "Liquidlogic children's system"}]
    login_as("auditor")
    assert client.get("/dpias/assets/search?q=liquid").status_code == 403


def test_the_api_gives_what_a_dpia_assesses(client, db, policies):
    from tests.dpia.conftest import officer
    from tests.dpia.test_api_and_reminders import bearer

    by = officer(db)
    dpia_id = make_dpia(db, policies.dpia, by)
    records = _records(db)
    record_links.link_record(db, by, record_links.ASSET, dpia_id, str(records["assets"].id), NOW)
    body = client.get(f"/api/v1/dpias/{dpia_id}", headers=bearer(db, "auditor")).get_json()
    assert body["information_assets"] == [
        {"id": records["assets"].id, "name": "Liquidlogic children's system"}
    ]
    assert body["processing_activities"] == []
    assert body["agreements"] == []
