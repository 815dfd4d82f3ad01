"""Tampering with the decision log in the database: ``ig verify-audit`` names each one.

Three requests: A signed, amended and signed again (two signed versions); B signed
once; C raised and not yet assessed. Each tamper is raw SQL, as a database
administrator (who has no audit key) could run it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, text

from ig.caldicott.assessment import start_amendment
from ig.cli import main
from ig.crypto import install_keyring
from tests import factories
from tests.caldicott.conftest import LATER, assess, sign

pytestmark = pytest.mark.usefixtures("isolated")

AMENDED = LATER + dt.timedelta(days=3)


@pytest.fixture
def run(app, db):
    runner = app.test_cli_runner()

    def invoke(*args):
        db.commit()  # a command's session must see (and not roll back) the set-up
        install_keyring(app.extensions["ig.keyring"])
        return runner.invoke(main, list(args))

    return invoke


@pytest.fixture
def log(db, people, policy):
    """{"A": amended and re-signed, "B": signed once, "C": awaiting assessment}."""
    staff = people["staff"][0]
    first = factories.make_caldicott_request(db, staff)
    assess(db, policy, people["ig_officer"][1], first)
    sign(db, policy, people["caldicott_guardian"], first)
    start_amendment(db, people["ig_officer"][1], first, "The police narrowed the request", LATER)
    sign(
        db,
        policy,
        people["caldicott_guardian"],
        first,
        now=AMENDED,
        outcome="declined",
        conditions=(),
    )
    second = factories.make_caldicott_request(db, staff)
    assess(db, policy, people["ig_officer"][1], second)
    sign(db, policy, people["deputy_caldicott_guardian"], second)
    third = factories.make_caldicott_request(db, staff)
    db.commit()
    return {
        "A": (first.id, first.reference),
        "B": (second.id, second.reference),
        "C": (third.id, third.reference),
    }


def _delete_request(who: str = "own") -> list[str]:
    return [
        f"DELETE FROM caldicott_decisions WHERE request_id = {{{who}}} AND number > 1",
        f"DELETE FROM caldicott_decisions WHERE request_id = {{{who}}}",
        f"DELETE FROM caldicott_subjects WHERE request_id = {{{who}}}",
        f"DELETE FROM caldicott_links WHERE request_id = {{{who}}}",
        f"DELETE FROM caldicott_requests WHERE id = {{{who}}}",
    ]


def _version(number: int, who: str = "own") -> str:
    return f"request_id = {{{who}}} AND number = {number}"


# Each tamper: (which request it names, SQL statements with {A}/{B}/{C} ids, what is said).
TAMPERS = {
    "request status changed": (
        "B",
        ["UPDATE caldicott_requests SET status = 'awaiting_decision' WHERE id = {B}"],
        "status",
    ),
    "request status set back to awaiting assessment": (
        "A",
        ["UPDATE caldicott_requests SET status = 'awaiting_assessment' WHERE id = {A}"],
        "status",
    ),
    "request status set to a value that does not exist": (
        "B",
        ["UPDATE caldicott_requests SET status = 'approved_by_nobody' WHERE id = {B}"],
        "does not know",
    ),
    "decision date changed": (
        "B",
        ["UPDATE caldicott_requests SET decided_at = '2026-04-01 09:00:00' WHERE id = {B}"],
        "decision date",
    ),
    "first decision day changed": (
        "B",
        ["UPDATE caldicott_requests SET first_decided_on = '2026-05-05' WHERE id = {B}"],
        "first decided",
    ),
    "days to decision changed": (
        "A",
        ["UPDATE caldicott_requests SET days_to_decision = 1 WHERE id = {A}"],
        "days to decision",
    ),
    "first decision day and days to decision changed together": (
        "B",
        [
            "UPDATE caldicott_requests SET first_decided_on = '2026-05-05', "
            "days_to_decision = 1 WHERE id = {B}"
        ],
        "first decided",
    ),
    "log outcome changed": (
        "A",
        ["UPDATE caldicott_requests SET outcome = 'approved' WHERE id = {A}"],
        "outcome",
    ),
    "log review date changed": (
        "B",
        ["UPDATE caldicott_requests SET review_on = '2030-01-01' WHERE id = {B}"],
        "review date",
    ),
    "signed outcome edited": (
        "B",
        ["UPDATE caldicott_decisions SET outcome = 'approved' WHERE " + _version(1)],
        "version 1",
    ),
    "signing time edited": (
        "A",
        ["UPDATE caldicott_decisions SET signed_at = '2026-05-01 09:00:00' WHERE " + _version(1)],
        "version 1",
    ),
    "request's received date edited": (
        "B",
        ["UPDATE caldicott_requests SET received_on = '2026-05-01' WHERE id = {B}"],
        "changed after signing",
    ),
    "latest amendment deleted and the log rolled back": (
        "A",
        [
            "DELETE FROM caldicott_decisions WHERE " + _version(2),
            "UPDATE caldicott_requests SET signed_number = 1, outcome = 'approved_with_conditions',"
            " review_on = (SELECT review_on FROM caldicott_decisions WHERE " + _version(1) + "),"
            " decided_at = (SELECT signed_at FROM caldicott_decisions WHERE "
            + _version(1)
            + ") WHERE id = {A}",
        ],
        "version 2",
    ),
    "latest amendment deleted": (
        "A",
        ["DELETE FROM caldicott_decisions WHERE " + _version(2)],
        "version 2",
    ),
    "whole signed request deleted": ("B", _delete_request(), "deleted"),
    "unsigned request deleted": ("C", _delete_request(), "deleted"),
    "request inserted without the trail": (
        "X",
        [
            "INSERT INTO caldicott_requests (year, serial, reference, received_on, raised_by_id,"
            " requester_name, requester_role, organisation_id, organisation_name, channel,"
            " request_type, urgency, purpose, information, case_details, data_categories,"
            " people_count, includes_deceased, needed_by, status, signed_number, version,"
            " created_at, updated_at{row_key_column})"
            " SELECT year, 9999, 'CG-2026-9999', received_on,"
            " raised_by_id, requester_name, requester_role, organisation_id, organisation_name,"
            " channel, request_type, urgency, purpose, information, case_details,"
            " data_categories, people_count, includes_deceased, needed_by, status,"
            " signed_number, version, created_at, updated_at{row_key_value} FROM caldicott_requests"
            " WHERE id = {C}"
        ],
        "CG-2026-9999",
    ),
    "reference renamed": (
        "C",
        ["UPDATE caldicott_requests SET reference = 'CG-2026-9998' WHERE id = {C}"],
        "deleted",
    ),
    "versions reordered": (
        "A",
        [
            "UPDATE caldicott_decisions SET number = 3 WHERE " + _version(1),
            "UPDATE caldicott_decisions SET number = 1 WHERE " + _version(2),
            "UPDATE caldicott_decisions SET number = 2 WHERE " + _version(3),
        ],
        "version",
    ),
    "outcomes swapped between versions": (
        "A",
        [
            "UPDATE caldicott_decisions SET outcome = CASE number WHEN 1 THEN 'declined' "
            "ELSE 'approved_with_conditions' END WHERE request_id = {A}"
        ],
        "version 1",
    ),
    "signed version moved to another request": (
        "B",
        ["UPDATE caldicott_decisions SET request_id = {C} WHERE request_id = {B}"],
        "version 1",
    ),
    "digest and seal copied from another version": (
        "B",
        [
            "UPDATE caldicott_decisions SET digest = (SELECT digest FROM caldicott_decisions"
            " WHERE " + _version(1, "A") + "), seal = (SELECT seal FROM"
            " caldicott_decisions WHERE " + _version(1, "A") + ") WHERE " + _version(1)
        ],
        "version 1",
    ),
    "forged signed version inserted": (
        "B",
        [
            "INSERT INTO caldicott_decisions (request_id, number, supersedes_id,"
            " assessed_by_name, outcome, signed_by_name, signed_at, digest, seal, version,"
            " created_at, updated_at{row_key_column})"
            " SELECT request_id, 2, id, assessed_by_name, 'approved',"
            " signed_by_name, signed_at, digest, seal, version, created_at, updated_at"
            "{row_key_value} FROM caldicott_decisions WHERE " + _version(1)
        ],
        "version 2",
    ),
    "signature removed": (
        "A",
        ["UPDATE caldicott_decisions SET signed_at = NULL WHERE " + _version(2)],
        "version 2",
    ),
    "whole log truncated": (
        "A",
        [*_delete_request("A"), *_delete_request("B"), *_delete_request("C")],
        "deleted",
    ),
}


def _statements(
    connection, tamper: list[str], which: str, ids: dict[str, tuple[int, str]]
) -> list[str]:
    values: dict[str, object] = {key: value[0] for key, value in ids.items()}
    values["own"] = values["C" if which == "X" else which]
    # A forged row needs a row key of its own where the table has one (it is unique).
    keyed = any(
        c["name"] == "row_key" for c in inspect(connection).get_columns("caldicott_requests")
    )
    values["row_key_column"] = ", row_key" if keyed else ""
    values["row_key_value"] = ", 'forgedforgedforgedforgedforged0'" if keyed else ""
    return [statement.format(**values) for statement in tamper]


def test_a_clean_log_verifies(run, log):
    result = run("verify-audit")
    assert result.exit_code == 0, result.output
    assert "Audit trail intact" in result.output


@pytest.mark.parametrize("name", list(TAMPERS))
def test_verify_audit_names_the_tamper(run, db, log, name):
    which, tamper, said = TAMPERS[name]
    connection = db.connection()
    for statement in _statements(connection, tamper, which, log):
        connection.execute(text(statement))
    result = run("verify-audit")
    assert result.exit_code == 1, result.output
    reference = "CG-2026-9999" if which == "X" else log[which][1]
    problems = [line for line in result.output.splitlines() if reference in line]
    assert problems, result.output
    assert any(said in line for line in problems), result.output


def test_the_chain_check_page_names_the_tamper_too(client, login_as, db, log):
    """The auditor's page runs the same checks as ig verify-audit, not the chain alone."""
    which, tamper, said = TAMPERS["days to decision changed"]
    connection = db.connection()
    for statement in _statements(connection, tamper, which, log):
        connection.execute(text(statement))
    login_as("auditor")
    response = client.post("/audit/verify")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Records have been altered outside ig" in page
    assert log[which][1] in page
    assert said in page
