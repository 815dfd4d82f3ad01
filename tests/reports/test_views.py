"""The IG report's pages: who may see and generate them, the report, its versions and CSV."""

from __future__ import annotations

from sqlalchemy import func, select

from ig.db import london_today
from ig.reports.models import StoredReport
from ig.reports.rules import previous, quarter_containing


def _last_quarter() -> str:
    return previous(quarter_containing(london_today(), 4), 4).key


def _main(page: str) -> str:
    """The page's main content: the header names the reader, not the report."""
    return page[page.index('id="main-content"') : page.index("</main>")]


def _count(db) -> int:
    return db.scalar(select(func.count()).select_from(StoredReport))


def test_reports_need_sign_in_and_permission(client, login_as):
    assert client.get("/reports/").status_code == 302
    login_as("staff")
    assert client.get("/reports/").status_code == 403


def test_an_auditor_reads_but_cannot_generate(client, login_as, db):
    login_as("auditor")
    page = client.get("/reports/")
    assert page.status_code == 200
    assert b"Generate a report" not in page.data
    answer = client.post("/reports/", data={"quarter": _last_quarter(), "for_quarter": "y"})
    assert answer.status_code == 403
    assert _count(db) == 0


def test_the_officer_generates_a_quarter_and_reads_every_version(client, login_as, db):
    officer = login_as("ig_officer")
    answer = client.post("/reports/", data={"quarter": _last_quarter(), "for_quarter": "y"})
    assert answer.status_code == 302
    report = db.scalars(select(StoredReport)).one()
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert report.title in page
    assert "As recorded then" in page
    assert 'role="img"' in page  # the trend charts
    assert "Glossary" in page
    assert officer.name in page or officer.email in page
    assert 'href="/incidents/?' in page  # figures link to their records
    public = _main(client.get(f"/reports/{report.id}/scrutiny").get_data(as_text=True))
    assert officer.email not in public
    assert officer.name not in public
    assert 'href="/incidents/?' not in public
    listed = client.get("/reports/").get_data(as_text=True)
    assert report.title in listed


def test_each_section_downloads_as_csv(client, login_as, db):
    login_as("siro")
    client.post("/reports/", data={"quarter": _last_quarter(), "for_quarter": "y"})
    report_id = db.scalar(select(StoredReport.id))
    for path in (
        f"/reports/{report_id}/incidents.csv",
        f"/reports/{report_id}/scrutiny/training.csv",
    ):
        answer = client.get(path)
        assert answer.status_code == 200
        assert answer.mimetype == "text/csv"
        assert answer.get_data(as_text=True).startswith("report,period start,period end,section")
    assert client.get(f"/reports/{report_id}/nothing.csv").status_code == 404
    assert client.get(f"/reports/{report_id + 1}").status_code == 404


def test_bad_dates_are_refused_with_a_message_and_nothing_stored(client, login_as, db):
    login_as("ig_officer")
    reversed_dates = {
        "start": ["30", "6", "2025"],
        "end": ["1", "4", "2025"],
        "for_dates": "y",
    }
    answer = client.post("/reports/", data=reversed_dates)
    assert answer.status_code == 422
    assert "The end date must be the same as or after the start date" in answer.get_data(
        as_text=True
    )
    for data in (
        {"start": ["31", "2", "2025"], "end": ["1", "4", "2025"], "for_dates": "y"},
        {"start": ["", "", ""], "end": ["1", "4", "2025"], "for_dates": "y"},
        {"quarter": "2025-Q9", "for_quarter": "y"},
        {"quarter": "", "for_quarter": "y"},
    ):
        assert client.post("/reports/", data=data).status_code == 422
    assert _count(db) == 0


def test_a_custom_period_is_generated(client, login_as, db):
    login_as("siro")
    answer = client.post(
        "/reports/",
        data={"start": ["1", "1", "2025"], "end": ["28", "2", "2025"], "for_dates": "y"},
    )
    assert answer.status_code == 302
    report = db.scalars(select(StoredReport)).one()
    assert report.title == "IG report, 1 January 2025 to 28 February 2025"
