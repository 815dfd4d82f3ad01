"""A subject access request finds the other ig records that name the requester: the
incidents they were affected by and the Caldicott requests about them, by blind index,
for those allowed to read each register, audited, never by decrypting to search."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ig.audit.models import AuditEntry
from ig.auth.rules import Actor
from ig.errors import ValidationFailed
from ig.incidents import involved
from ig.rights import service
from ig.rights.namesakes import find_records_naming
from tests.factories import make_caldicott_request, make_team, make_user
from tests.incidents.clocks import State, make_incident
from tests.rights.helpers import NOW, TEAM, actor, audit_actions, request_input

IG_TEAM = TEAM | {"incidents.read", "incidents.manage", "caldicott.read"}


def officer(db) -> Actor:
    return actor(db, *IG_TEAM, role="ig_officer")


@pytest.fixture
def named(db, policies):
    """A request from CASE-1234, who was affected by one incident and is the subject of
    one Caldicott request; another incident names someone else."""
    team = make_team(db)
    mine = make_incident(db, policies.incidents, team.id, State(), NOW)
    other = make_incident(db, policies.incidents, team.id, State(), NOW)
    involved.add_affected_person(db, officer(db), mine, " case-1234 ", "Jo Bloggs", "", NOW)
    involved.add_affected_person(db, officer(db), other, "CASE-9999", "", "", NOW)
    caldicott = make_caldicott_request(db, make_user(db), identifiers=("CASE-1234",))
    item = service.log_request(db, actor(db), policies.rights, request_input(), NOW)
    return item, mine.reference, caldicott.reference


def test_the_ig_team_finds_both_registers_records_and_the_search_is_audited(db, named):
    item, incident, caldicott = named
    found = find_records_naming(db, officer(db), item, NOW)
    assert found.incidents == [incident]
    assert found.caldicott == [caldicott]
    assert found.found == 2
    assert audit_actions(db, item.id)[-1] == "rights.records_searched"
    searched = db.scalars(
        select(AuditEntry.detail).where(AuditEntry.action == "rights.records_searched")
    ).all()
    assert searched == [{"found": 2}]  # a count, never the identifier


def test_a_register_the_actor_may_not_read_is_not_searched(db, named):
    item, _incident, caldicott = named
    found = find_records_naming(db, actor(db, *TEAM, "caldicott.read"), item, NOW)
    assert found.incidents is None
    assert found.caldicott == [caldicott]


def test_a_request_without_an_identifier_says_so(db, policies):
    item = service.log_request(
        db, actor(db), policies.rights, request_input(requester_identifier=""), NOW
    )
    with pytest.raises(ValidationFailed, match="no identifier"):
        find_records_naming(db, officer(db), item, NOW)


def test_the_page_lists_and_links_them_for_the_team_only(client, login_as, db, named):
    item, incident, caldicott = named
    login_as("information_rights_officer")
    page = client.get(f"/rights/{item.id}").get_data(as_text=True)
    assert f"/rights/{item.id}/records" in page
    page = client.get(f"/rights/{item.id}/records").get_data(as_text=True)
    assert "You cannot search this register" in page  # the officer reads neither
    assert incident not in page
    login_as("ig_officer")
    page = client.get(f"/rights/{item.id}/records").get_data(as_text=True)
    assert f'href="/incidents/{incident}"' in page
    assert f'href="/caldicott/requests/{caldicott}"' in page
    login_as("staff")
    assert client.get(f"/rights/{item.id}/records").status_code == 403
