"""The audit trail page, the chain check page and the encrypted-fields page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from markupsafe import escape
from sqlalchemy import text

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.encrypted import encrypted_columns
from ig.models import Base
from tests.factories import make_user
from tests.queries import statements_for_get

ADA = Actor(user_id=None, label="ada@example.org")
BOB = Actor(user_id=None, label="bob@example.org")
JUNE_30 = dt.datetime(2026, 6, 30, 9, 0, tzinfo=dt.UTC)


def rows(response) -> int:
    return len(re.findall(rb'<tr class="govuk-table__row">\s*<td', response.data))


@pytest.mark.parametrize(
    "url", ["/audit/", "/audit/encrypted-fields", "/audit/?actor=ada&date_from=1"]
)
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("url", ["/audit/", "/audit/encrypted-fields"])
def test_staff_may_not_see_the_audit_pages(client, login_as, url):
    login_as("staff")
    assert client.get(url).status_code == 403


def test_staff_may_not_verify(client, login_as):
    login_as("staff")
    assert client.post("/audit/verify").status_code == 403


def test_auditor_sees_the_trail(client, login_as, db):
    login_as("auditor")
    record(db, ADA, "incident.created", "incident", 41, at=JUNE_30)
    response = client.get("/audit/")
    assert response.status_code == 200
    assert b"incident.created" in response.data
    assert b"ada@example.org" in response.data
    assert b"30 June 2026 at 10am" in response.data  # shown in UK time (BST)
    assert b"Verify the chain" in response.data


@pytest.fixture
def entries(db):
    record(db, ADA, "incident.created", "incident", 41, at=JUNE_30)
    record(db, BOB, "incident.updated", "incident", 41, at=JUNE_30 + dt.timedelta(days=2))
    record(db, BOB, "user.created", "user", 5, at=JUNE_30 + dt.timedelta(days=3))


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"actor": "BOB@"}, [b"incident.updated", b"user.created"], [b"incident.created"]),
        (
            {"record_type": "incident", "record_id": "41"},
            [b"incident.created", b"incident.updated"],
            [b"user.created"],
        ),
        ({"action": "user.created"}, [b"user.created"], [b"incident.updated"]),
        (
            {"date_from": ["2", "7", "2026"], "date_to": ["2", "7", "2026"]},
            [b"incident.updated"],
            [b"incident.created", b"user.created"],
        ),
    ],
)
def test_filters(client, login_as, entries, query, shown, hidden):
    login_as("auditor")
    response = client.get("/audit/", query_string=query)
    assert response.status_code == 200
    for action in shown:
        assert b'<td class="govuk-table__cell">' + action in response.data
    for action in hidden:
        assert b'<td class="govuk-table__cell">' + action not in response.data


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ({"date_from": ["31", "2", "2026"]}, b"From date must be a real date"),
        ({"date_from": ["", "2", "2026"]}, b"From date must include a day, month and year"),
        ({"date_to": ["x", "y", "z"]}, b"To date must be a real date"),
        ({"date_from": ["1", "1", "20260"]}, b"From date must be a real date"),
        ({"date_from": ["1", "1", "2101"]}, b"From date: enter a date between 1900 and 2100"),
        ({"date_from": ["1", "1", "9" * 12]}, b"From date must be a real date"),
        ({"date_to": ["31", "12", "1899"]}, b"To date: enter a date between 1900 and 2100"),
        (
            {"date_from": ["2", "7", "2026"], "date_to": ["1", "7", "2026"]},
            b"To date must be the same as or after the from date",
        ),
        ({"date_from": "2026-07-01"}, b"From date must include a day, month and year"),
    ],
)
def test_an_invalid_date_shows_the_error_summary(client, login_as, entries, dates, message):
    login_as("auditor")
    response = client.get("/audit/", query_string=dates)
    assert response.status_code == 422
    assert b"govuk-error-summary" in response.data
    assert message in response.data
    assert b"incident.created" not in response.data  # no unfiltered list passed off as a result


def test_paging(client, login_as, db):
    login_as("auditor")
    for n in range(60):
        record(db, ADA, f"paging.{n}", "paging", n, at=JUNE_30)
    db.commit()
    first = client.get("/audit/", query_string={"record_type": "paging"})
    assert rows(first) == 50
    assert b"paging.59" in first.data
    assert b"page=2" in first.data
    second = client.get("/audit/", query_string={"record_type": "paging", "page": 2})
    assert rows(second) == 10
    assert b"paging.0<" in second.data
    assert b"Page 2 of 2 (60 in all)" in second.data


def test_query_count_does_not_grow_with_rows(client, login_as, db, engine):
    login_as("auditor")
    record(db, ADA, "few", at=JUNE_30)
    db.commit()
    few = statements_for_get(engine, client, "/audit/")
    for n in range(40):
        record(db, Actor(user_id=n, label=f"user{n}@example.org"), "many", "thing", n, at=JUNE_30)
    db.commit()
    assert statements_for_get(engine, client, "/audit/") == few


def test_auditor_verifies_an_intact_chain(client, login_as, db, entries):
    login_as("auditor")
    response = client.post("/audit/verify")
    assert response.status_code == 200
    assert b"entries are intact" in response.data


def test_verify_names_a_tampered_entry(client, login_as, db, entries):
    login_as("auditor")
    db.connection().execute(text("UPDATE audit_entries SET action = 'x' WHERE seq = 2"))
    response = client.post("/audit/verify")
    assert response.status_code == 200
    assert b"entry 2 (id" in response.data
    assert b"was altered" in response.data


def test_verify_needs_the_csrf_token(client, login_as):
    login_as("auditor")
    assert client.post("/audit/verify", csrf=False).status_code == 400


def test_verify_is_not_a_get(client, login_as):
    login_as("auditor")
    assert client.get("/audit/verify").status_code == 405


@pytest.mark.parametrize("role", ["ig_officer", "auditor", "administrator"])
def test_encrypted_fields_lists_every_encrypted_column_and_key_counts(client, login_as, db, role):
    login_as(role)
    make_user(db, totp_secret="one")
    make_user(db, totp_secret="two")
    response = client.get("/audit/encrypted-fields")
    assert response.status_code == 200
    for table, column, description in encrypted_columns(Base.metadata):
        assert f'<td class="govuk-table__cell">{table}</td>'.encode() in response.data
        assert f'<td class="govuk-table__cell">{column}</td>'.encode() in response.data
        assert str(escape(description)).encode() in response.data
    # login_as gives its user no two-factor secret, so exactly the two above are counted
    assert re.search(
        rb"test1 \(active\)</th>\s*<td class=\"govuk-table__cell govuk-table__cell--numeric\">2<",
        response.data,
    )


def test_verify_page_says_every_check_is_intact(client, login_as, db, entries):
    login_as("auditor")
    page = client.post("/audit/verify").get_data(as_text=True)
    assert "entries are intact" in page
    assert "All intact: each matches its seal and the audit trail." in page
    assert "Records have been altered outside ig" not in page
