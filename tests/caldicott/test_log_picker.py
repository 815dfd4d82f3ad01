"""The decision log's organisation filter: a search field, never every organisation."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from ig.people.models import Organisation, OrganisationKind
from tests import factories
from tests.queries import statements_for_get


def _partners(db, count, name="Partner trust"):
    db.execute(
        insert(Organisation),
        [{"name": f"{name} {i:05d}", "kind": OrganisationKind.PROVIDER} for i in range(count)],
    )


@pytest.fixture
def two_requests(db, people):
    staff = people["staff"][0]
    camden = factories.make_organisation(db, name="London Borough of Camden", kind="other")
    kent = factories.make_organisation(db, name="Kent Police", kind="police")
    return (
        factories.make_caldicott_request(db, staff, organisation=camden),
        factories.make_caldicott_request(db, staff, organisation=kent),
        camden,
        kent,
    )


def _log(client, login_as, db, **args):
    login_as("ig_officer")
    db.commit()
    response = client.get("/caldicott/", query_string=args)
    return response.status_code, response.get_data(as_text=True)


def test_a_typed_name_filters_the_log_and_keeps_the_chosen_id(client, login_as, db, two_requests):
    camden_request, kent_request, camden, _kent = two_requests
    status, page = _log(client, login_as, db, organisation_name="london borough of camden")
    assert status == 200
    assert camden_request.reference in page
    assert kent_request.reference not in page
    assert f'<input type="hidden" name="organisation" value="{camden.id}">' in page


def test_a_link_with_the_id_still_filters_and_shows_the_name(client, login_as, db, two_requests):
    camden_request, kent_request, camden, _kent = two_requests
    status, page = _log(client, login_as, db, organisation=camden.id)
    assert status == 200
    assert 'value="London Borough of Camden"' in page
    assert camden_request.reference in page
    assert kent_request.reference not in page


def test_an_ambiguous_name_offers_the_matches_and_the_choice_filters(
    client, login_as, db, two_requests
):
    camden_request, kent_request, _camden, kent = two_requests
    status, page = _log(client, login_as, db, organisation_name="o")
    assert status == 422
    assert "2 match o: choose the organisation you mean" in page
    assert f'name="organisation" type="radio" value="{kent.id}"' in page
    assert "No requests match" in page
    status, page = _log(client, login_as, db, organisation_name="o", organisation=kent.id)
    assert status == 200
    assert kent_request.reference in page
    assert camden_request.reference not in page


def test_an_unknown_name_says_so_without_a_server_error(client, login_as, db, two_requests):
    status, page = _log(client, login_as, db, organisation_name="Nowhere Trust")
    assert status == 422
    assert "No organisation matches \u201cNowhere Trust\u201d" in page
    assert "No requests match" in page


def test_a_cleared_field_drops_the_filter(client, login_as, db, two_requests):
    camden_request, kent_request, camden, _kent = two_requests
    status, page = _log(client, login_as, db, organisation_name="", organisation=camden.id)
    assert status == 200
    assert camden_request.reference in page
    assert kent_request.reference in page


def test_a_bad_id_is_refused_without_a_server_error(client, login_as, db):
    assert _log(client, login_as, db, organisation="abc")[0] == 422
    assert _log(client, login_as, db, organisation=2**40)[0] == 422


def test_the_log_with_5000_organisations_stays_small(client, login_as, db, people):
    _partners(db, 5000)
    factories.make_caldicott_request(db, people["staff"][0])
    status, page = _log(client, login_as, db)
    assert status == 200
    assert len(page.encode()) < 100_000
    assert "Partner trust 00000" not in page
    assert "Partner trust 04999" not in page
    assert "/people/organisations/search" in page


@pytest.mark.parametrize("args", ["", "?organisation_name=Partner+trust+00007"])
def test_the_organisation_filter_costs_the_same_for_many_organisations(
    client, login_as, db, people, args
):
    login_as("caldicott_guardian")
    _partners(db, 10)
    db.commit()
    few = statements_for_get(db.get_bind().engine, client, f"/caldicott/{args}")
    login_as("caldicott_guardian")
    _partners(db, 500, name="Other trust")
    db.commit()
    many = statements_for_get(db.get_bind().engine, client, f"/caldicott/{args}")
    assert many == few
