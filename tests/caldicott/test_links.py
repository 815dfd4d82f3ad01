"""Links to incidents (breach advice) and data-sharing agreements."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ig.audit.models import AuditEntry
from ig.caldicott.links import link_record, link_views
from ig.errors import PermissionDenied, ValidationFailed
from tests import factories
from tests.caldicott.conftest import NOW, assess, sign
from tests.incidents.conftest import report

pytestmark = pytest.mark.usefixtures("isolated")


@pytest.fixture
def incident(db, people, policies):
    return report(db, people["staff"][1], policies.incidents, factories.make_team(db))


@pytest.fixture
def agreement(db, policies):
    return factories.make_sharing_agreement(db, policies.sharing, factories.make_organisation(db))


def test_breach_advice_links_to_its_incident(db, people, incident):
    request = factories.make_caldicott_request(db, people["staff"][0], request_type="breach_advice")
    link = link_record(
        db, people["ig_officer"][1], request, "incident", incident.reference.lower(), NOW
    )
    assert link.reference == incident.reference
    [view] = link_views(db, request)
    assert view.endpoint == "incidents.show"
    assert view.args == {"ref": incident.reference}
    assert db.scalar(select(AuditEntry.action).where(AuditEntry.action == "caldicott.linked"))


def test_a_signed_decision_can_still_be_linked_to_its_agreement(db, people, policy, agreement):
    request = factories.make_caldicott_request(db, people["staff"][0], request_type="new_data_flow")
    assess(db, policy, people["ig_officer"][1], request)
    version = sign(db, policy, people["caldicott_guardian"], request)
    digest = version.digest
    link_record(db, people["ig_officer"][1], request, "agreement", agreement.reference, NOW)
    assert link_views(db, request)[0].args == {"agreement_id": agreement.id}
    assert version.digest == digest


@pytest.mark.parametrize(
    ("kind", "reference", "field"),
    [
        ("incident", "INC-1999-000001", "reference"),
        ("agreement", "NOPE", "reference"),
        ("letter", "X", "kind"),
        ("incident", " ", "reference"),
    ],
)
def test_unknown_records_are_refused(db, people, kind, reference, field):
    request = factories.make_caldicott_request(db, people["staff"][0])
    with pytest.raises(ValidationFailed) as refused:
        link_record(db, people["ig_officer"][1], request, kind, reference, NOW)
    assert refused.value.field == field


def test_linking_twice_is_refused_and_staff_cannot_link(db, people, incident):
    request = factories.make_caldicott_request(db, people["staff"][0])
    link_record(db, people["ig_officer"][1], request, "incident", incident.reference, NOW)
    with pytest.raises(ValidationFailed, match="already linked"):
        link_record(db, people["ig_officer"][1], request, "incident", incident.reference, NOW)
    with pytest.raises(PermissionDenied):
        link_record(db, people["staff"][1], request, "incident", incident.reference, NOW)


def test_link_page(client, login_as, db, people, incident):
    request = factories.make_caldicott_request(db, people["staff"][0])
    url = f"/caldicott/requests/{request.reference}/link"
    login_as("staff")
    assert client.get(url).status_code == 403
    login_as("ig_officer")
    assert client.get(url).status_code == 200
    assert client.post(url, data={"kind": "incident", "reference": "nope"}).status_code == 422
    response = client.post(url, data={"kind": "incident", "reference": incident.reference})
    assert response.status_code == 302
    page = client.get(f"/caldicott/requests/{request.reference}").get_data(as_text=True)
    assert f'href="/incidents/{incident.reference}"' in page


def test_the_request_page_leads_to_a_linked_agreement(client, login_as, db, people, agreement):
    request = factories.make_caldicott_request(db, people["staff"][0])
    link_record(db, people["ig_officer"][1], request, "agreement", agreement.reference, NOW)
    login_as("ig_officer")
    response = client.get(f"/caldicott/requests/{request.reference}")
    assert response.status_code == 200
    assert f'href="/sharing/agreements/{agreement.id}"' in response.get_data(as_text=True)
