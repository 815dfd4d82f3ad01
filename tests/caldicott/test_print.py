"""The printable decision record: marked, signed by names, audited, and for readers only."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from ig.audit.models import AuditEntry
from tests import factories
from tests.caldicott.conftest import assess, sign

pytestmark = pytest.mark.usefixtures("isolated")
MARKING = b"OFFICIAL-SENSITIVE"


@pytest.fixture
def decided(db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    assess(db, policy, people["ig_officer"][1], request)
    sign(db, policy, people["caldicott_guardian"], request)
    db.commit()
    return request


def viewed(db, reference):
    return db.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "caldicott.detail_viewed", AuditEntry.record_id == reference
        )
    ).all()


def test_the_record_is_marked_top_and_bottom_and_says_who_printed_it(
    client, login_as, db, people, decided
):
    reader = login_as("auditor", name="Ruth Penrose")
    response = client.get(f"/caldicott/requests/{decided.reference}/record")
    assert response.status_code == 200
    html = response.data
    markings = re.findall(rb'<p class="ig-marking ig-marking--(top|bottom)">.*?</p>', html, re.S)
    assert markings == [b"top", b"bottom"]
    assert html.count(b"Protective marking: </span>" + MARKING) == 2
    printed = re.search(rb"Printed by ([^<]+?) on (\d{1,2} [A-Z][a-z]+ \d{4} at [^.]+)\.", html)
    assert printed is not None
    assert printed.group(1).decode() == reader.name
    # Names, not e-mail addresses, for who assessed and who signed.
    assert people["ig_officer"][0].name.encode() in html
    assert people["caldicott_guardian"][0].name.encode() in html
    for user, _actor in people.values():
        assert user.email.encode() not in html
    # Reading the decrypted detail is itself audited, as "printable record".
    entries = viewed(db, decided.reference)
    assert [entry.detail for entry in entries][-1:] == [{"view": "printable record"}]


def test_the_record_carries_no_navigation_or_sign_out_in_print(client, login_as, decided):
    login_as("ig_officer")
    html = client.get(f"/caldicott/requests/{decided.reference}/record").data
    # The navigation and the account links are marked for the screen only (print CSS
    # hides them; tests/e2e/test_every_page.py checks the print media itself).
    assert re.search(rb'class="govuk-service-navigation[^"]*ig-no-print', html)
    assert b'class="ig-header__account ig-no-print"' in html


@pytest.mark.parametrize("role", ["staff", "manager", "administrator"])
def test_only_readers_of_the_log_may_print_and_nothing_is_audited_for_others(
    client, login_as, db, decided, role
):
    login_as(role)
    response = client.get(f"/caldicott/requests/{decided.reference}/record")
    assert response.status_code == 403
    assert MARKING not in response.data
    assert viewed(db, decided.reference) == []


def test_printing_an_unknown_record_is_not_found_and_not_audited(client, login_as, db):
    login_as("ig_officer")
    assert client.get("/caldicott/requests/CG-1999-9999/record").status_code == 404
    assert viewed(db, "CG-1999-9999") == []
