"""The late export, end to end on both databases: a completion dated 20 March and imported
on 10 April is left out of the 31 March figure as recorded then, and counted as now known,
on the page, in the DSPT evidence CSV and in the API."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import select

from ig.audit.models import AuditEntry
from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.db import LONDON, london_today, utcnow
from ig.training.import_apply import insert_completions
from ig.training.import_rows import check_completion
from ig.training.models import CompletionSource
from tests.factories import make_completion, make_staff, make_team, make_user

EVERYONE = ("DSA", "IGF", "CYB")
SET_BY = "policies/training.toml evidence_basis"


def year_end() -> dt.date:
    """The last 31 March with its 10 April already past, so the export has arrived."""
    today = london_today()
    year = today.year if today >= dt.date(today.year, 4, 11) else today.year - 1
    return dt.date(year, 3, 31)


@pytest.fixture
def late(db, policies):
    """Two people in Payroll: Pat always compliant; Lou's DSA lapsed on 1 March and was
    renewed on 20 March, which ig learns of only from the export imported on 10 April."""
    on = year_end()
    team = make_team(db, name="Payroll")
    pat = make_staff(db, team, name="Pat Prompt")
    lou = make_staff(db, team, name="Lou Late")
    for code in EVERYONE:
        make_completion(db, pat, code, on.replace(month=1, day=10))
    for code in ("IGF", "CYB"):
        make_completion(db, lou, code, on.replace(month=1, day=10))
    make_completion(db, lou, "DSA", on.replace(year=on.year - 1, month=2, day=28))
    imported_at = dt.datetime.combine(on.replace(month=4, day=10), dt.time(9), LONDON)
    row = check_completion(
        {
            "staff_number": lou.staff_number,
            "course_code": "DSA",
            "completed_on": on.replace(day=20).isoformat(),
        },
        {lou.staff_number: lou.id},
        set(policies.training.courses),
        imported_at.date(),
    )
    added, _ = insert_completions(
        db, SYSTEM, [row], CompletionSource.IMPORT, imported_at.astimezone(dt.UTC)
    )
    assert added == 1
    db.commit()
    return on


def test_page_shows_both_labelled_figures(client, login_as, db, late):
    login_as("ig_officer")
    db.commit()
    html = client.get(f"/training/?on={late.day}&on={late.month}&on={late.year}").get_data(
        as_text=True
    )
    start = html.index('data-testid="two-figures"')
    figures = html[start : html.index("</dl>", start)]
    # Six required pairs: as recorded then, Lou's DSA is overdue (5 of 6); as now known, 6 of 6.
    assert 'data-basis="as_recorded"><strong>83.3%</strong> (5 of 6)' in figures
    assert 'data-basis="as_now_known"><strong>100.0%</strong> (6 of 6)' in figures
    assert "As recorded then" in figures
    assert "As now known" in figures
    assert "DSA: Data security awareness</th>" in html
    assert "50.0% (1 of 2)" in html  # DSA as recorded then
    assert "100.0% (2 of 2)" in html  # DSA as now known


def test_evidence_csv_gives_both_and_names_its_basis(client, login_as, db, late):
    login_as("ig_officer")
    db.commit()
    url = f"/training/evidence.csv?on={late.day}&on={late.month}&on={late.year}"
    rows = list(csv.reader(io.StringIO(client.get(url).get_data(as_text=True))))
    assert [
        "Figures",
        "as recorded then",
        "Set by",
        "policies/training.toml evidence_basis",
    ] in rows
    header = next(r for r in rows if r[:2] == ["Team", "Course"])
    assert header[-4:] == [
        "Compliance %",
        "Meets target",
        "Compliance % as recorded then",
        "Compliance % as now known",
    ]
    dsa = next(r for r in rows if r[:2] == ["Payroll", "DSA"])
    by_column = dict(zip(header, dsa, strict=True))
    assert (by_column["Compliant"], by_column["Overdue"]) == ("1", "1")  # the policy's basis
    assert by_column["Compliance %"] == "50.0"
    assert by_column["Compliance % as recorded then"] == "50.0"
    assert by_column["Compliance % as now known"] == "100.0"
    entry = db.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "training.evidence_exported")
        .order_by(AuditEntry.seq.desc())
    ).first()
    assert entry.detail == {"on": late.isoformat(), "basis": "as_recorded"}


def test_evidence_csv_on_the_now_known_basis(client, login_as, db, late, app):
    import dataclasses

    policies = app.extensions["ig.policies"]
    training = dataclasses.replace(policies.training, evidence_basis="as_now_known")
    app.extensions["ig.policies"] = policies.with_parts(training=training)
    login_as("ig_officer")
    db.commit()
    url = f"/training/evidence.csv?on={late.day}&on={late.month}&on={late.year}"
    rows = list(csv.reader(io.StringIO(client.get(url).get_data(as_text=True))))
    assert ["Figures", "as now known", "Set by", SET_BY] in rows
    dsa = next(r for r in rows if r[:2] == ["Payroll", "DSA"])
    assert dsa[2:4] == ["2", "0"]  # both compliant, as now known
    assert dsa[-4:] == ["100.0", "yes", "50.0", "100.0"]


def test_api_gives_both(client, db, late):
    user = make_user(db, roles=("ig_officer",))
    _token, raw = tokens.create_token(db, SYSTEM, user, "test", utcnow())
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    body = client.get(f"/api/v1/training/compliance?on={late.isoformat()}", headers=headers).json
    assert (body["basis"], body["evidence_basis"]) == ("as_recorded", "as_recorded")
    then, now = body["figures"]["as_recorded"], body["figures"]["as_now_known"]
    assert body["overall"] == then["overall"]
    assert (then["overall"]["compliant"], then["overall"]["counted"]) == (5, 6)
    assert (now["overall"]["compliant"], now["overall"]["counted"]) == (6, 6)
    payroll = {t["name"]: t for t in now["teams"]}["Payroll"]
    assert payroll["percent"] == 100.0
    today = client.get("/api/v1/training/compliance", headers=headers).json
    assert today["figures"]["as_recorded"] == today["figures"]["as_now_known"]


def test_as_recorded_then_is_reproducible_and_as_now_known_follows_new_data(client, db, late):
    """A completion imported today and dated before the year end moves only the figure
    as now known, with both already in the figures cache."""
    kim = make_staff(db, name="Kim Keen")
    user = make_user(db, roles=("ig_officer",))
    _token, raw = tokens.create_token(db, SYSTEM, user, "test", utcnow())
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    url = f"/api/v1/training/compliance?on={late.isoformat()}"

    def counts():
        figures = client.get(url, headers=headers).json["figures"]
        return [
            (figures[b]["overall"]["compliant"], figures[b]["overall"]["counted"])
            for b in ("as_recorded", "as_now_known")
        ]

    assert counts() == [(5, 9), (6, 9)]  # Kim: three courses overdue
    make_completion(db, kim, "DSA", late.replace(day=25), recorded_at=utcnow())
    db.commit()
    assert counts() == [(5, 9), (7, 9)]


def test_openapi_describes_both_readings(app):
    from ig.api import openapi_document

    with app.app_context():
        operation = openapi_document()["paths"]["/training/compliance"]["get"]
    assert "as recorded then" in operation["summary"]
    assert "as now known" in operation["summary"]
    text = str(operation)
    assert "as_now_known" in text
    assert "evidence_basis" in text
