"""Imports: every rejection, the choice, one transaction, the same file twice, and XLSX."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from ig.audit.models import AuditEntry
from ig.auth.rules import SYSTEM
from ig.cli import main
from ig.errors import InvalidTransition
from ig.people.models import Staff
from ig.training import xlsx_parts
from ig.training.import_check import check_import
from ig.training.imports import (
    apply_import,
    create_import,
    discard_import,
    find_imported,
    list_rejections,
)
from ig.training.models import Completion, ImportKind, ImportStatus
from tests.factories import make_staff, make_team
from tests.training.xlsx_files import excel, package, sheet_xml, workbook_xml

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def people(db):
    team = make_team(db, name="Payroll")
    return [make_staff(db, team, staff_number=f"P{n}") for n in range(1, 4)]


def run(db, policies, tmp_path, text, kind=ImportKind.COMPLETIONS, name="file.csv", raw=None):
    data = raw if raw is not None else text.encode("utf-8")
    job = create_import(db, SYSTEM, kind, data, name)
    return check_import(db, job, policies.training, TODAY)


def reasons(db, job):
    return {r.line: r.reason for r in list_rejections(db, job, per_page=500).rows}


def completions(db):
    return db.scalar(select(func.count()).select_from(Completion))


HEADER = "staff_number,course_code,completed_on\n"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("NOBODY,DSA,2026-01-05", "no member of staff has the number 'NOBODY'"),
        ("P1,NOPE,2026-01-05", "there is no course with the code 'NOPE'"),
        ("P1,DSA,05/13/2026", "not a real date (dates are read day first)"),
        ("P1,DSA,Jan 5th", "is not a date in the form"),
        ("P1,DSA,", "the date is missing"),
        ("P1,DSA,2026-11-21", "is in the future"),
        (",DSA,2026-01-05", "the staff number is missing"),
        ("P1,,2026-01-05", "the course code is missing"),
        ("P1,DSA,26-01-05", "is not a date in the form"),
    ],
)
def test_each_rejection_is_listed_by_line(db, policies, tmp_path, people, row, reason):
    job = run(db, policies, tmp_path, HEADER + "P2,DSA,2026-01-05\n" + row + "\n")
    assert job.status is ImportStatus.CHECKED
    assert (job.rows_checked, job.rows_valid, job.rows_rejected) == (2, 1, 1)
    assert reason in reasons(db, job)[3]
    assert completions(db) == 0  # checking writes no data


def test_duplicate_rows_name_the_first(db, policies, tmp_path, people):
    job = run(db, policies, tmp_path, HEADER + "P1,DSA,2026-01-05\nP1,dsa,05/01/2026\n")
    assert reasons(db, job) == {3: "repeats line 2"}


def test_missing_column_rejects_the_file(db, policies, tmp_path, people):
    job = run(db, policies, tmp_path, "staff_number,completed_on\nP1,2026-01-05\n")
    assert job.status is ImportStatus.FAILED
    assert "no column for: course code" in job.message


def test_empty_and_non_utf8_files_are_refused(db, policies, tmp_path, people):
    assert run(db, policies, tmp_path, "\n\n", name="a.csv").status is ImportStatus.FAILED
    job = run(db, policies, tmp_path, "", name="b.csv", raw=HEADER.encode() + b"P1,DSA,\xff\n")
    assert job.status is ImportStatus.FAILED
    assert "not UTF-8" in job.message


def test_bom_blank_lines_and_uk_dates(db, policies, tmp_path, people):
    text = (
        "\ufeffStaff Number,Course Code,Date Completed\r\n\r\nP1,DSA,05/01/2026\r\n\r\n"
        "P2,IGF,5 Jan 2026\r\nP3,CYB,2026-01-05\r\n"
    )
    job = run(db, policies, tmp_path, text)
    assert (job.rows_checked, job.rows_valid, job.rows_rejected) == (3, 3, 0)
    apply_import(db, SYSTEM, job, policies.training, TODAY)
    dates = set(db.scalars(select(Completion.completed_on)))
    assert dates == {dt.date(2026, 1, 5)}


def test_import_valid_rows_only(db, policies, tmp_path, people):
    job = run(db, policies, tmp_path, HEADER + "P1,DSA,2026-01-05\nNOBODY,DSA,2026-01-05\n")
    apply_import(db, SYSTEM, job, policies.training, TODAY)
    assert job.status is ImportStatus.IMPORTED
    assert (job.rows_added, job.rows_unchanged) == (1, 0)
    assert completions(db) == 1
    completion = db.scalar(select(Completion))
    assert completion.import_id == job.id
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "training.import_applied"))


def test_import_nothing(db, policies, tmp_path, people):
    job = run(db, policies, tmp_path, HEADER + "P1,DSA,2026-01-05\nNOBODY,DSA,2026-01-05\n")
    discard_import(db, SYSTEM, job)
    assert job.status is ImportStatus.DISCARDED
    assert completions(db) == 0
    with pytest.raises(InvalidTransition):
        apply_import(db, SYSTEM, job, policies.training, TODAY)


def test_same_file_twice_changes_nothing(db, policies, tmp_path, people):
    text = HEADER + "P1,DSA,2026-01-05\nP2,DSA,2026-01-06\n"
    first = run(db, policies, tmp_path, text, name="one.csv")
    apply_import(db, SYSTEM, first, policies.training, TODAY)
    assert find_imported(db, ImportKind.COMPLETIONS, first.file_hash) is first
    second = run(db, policies, tmp_path, text, name="two.csv")
    apply_import(db, SYSTEM, second, policies.training, TODAY)
    assert second.status is ImportStatus.DISCARDED
    assert "already imported" in second.message
    assert completions(db) == 2


def test_overlapping_file_counts_rows_already_on_record(db, policies, tmp_path, people):
    first = run(db, policies, tmp_path, HEADER + "P1,DSA,2026-01-05\n", name="one.csv")
    apply_import(db, SYSTEM, first, policies.training, TODAY)
    second = run(
        db, policies, tmp_path, HEADER + "P1,DSA,2026-01-05\nP2,DSA,2026-01-05\n", name="two.csv"
    )
    apply_import(db, SYSTEM, second, policies.training, TODAY)
    assert (second.rows_added, second.rows_unchanged) == (1, 1)


def test_a_failure_part_way_leaves_nothing(db, policies, tmp_path, people, monkeypatch):
    from ig.training import imports

    text = HEADER + "".join(
        f"P{1 + n % 3},DSA,{dt.date(2020, 1, 1) + dt.timedelta(n)}\n" for n in range(4500)
    )
    job = run(db, policies, tmp_path, text)

    def audit_fails(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(imports, "record", audit_fails)  # after the rows are written
    savepoint = db.begin_nested()
    with pytest.raises(RuntimeError):
        apply_import(db, SYSTEM, job, policies.training, TODAY)
    savepoint.rollback()
    assert completions(db) == 0


def test_repeats_are_found_across_batches(db, policies, tmp_path, people):
    rows = [f"P1,DSA,{dt.date(2020, 1, 1) + dt.timedelta(n)}" for n in range(2500)]
    text = HEADER + "\n".join([*rows, rows[0], rows[2400]]) + "\n"
    job = run(db, policies, tmp_path, text)
    assert reasons(db, job) == {2502: "repeats line 2", 2503: "repeats line 2402"}
    assert (job.rows_valid, job.rows_rejected) == (2500, 2)
    apply_import(db, SYSTEM, job, policies.training, TODAY)
    assert completions(db) == 2500


STAFF_HEADER = "Staff number,Name,Work email,Team,Job title,Start date,Leaving date\n"


def test_staff_import_adds_updates_and_rejects(db, policies, tmp_path, people):
    make_team(db, name="Adults East")
    text = STAFF_HEADER + (
        "P1,Pat One,pat@eastmere.example,Payroll,Clerk,01/02/2019,\n"
        "N1,New Person,new@eastmere.example,adults east,Social Worker,2026-03-01,\n"
        "N2,Leaver,,Payroll,,2020-01-01,31/03/2026\n"
        "N3,,x,Nowhere,,2020-13-01,\n"
        "N4,Back to front,,Payroll,,2026-01-01,2025-01-01\n"
        "N1,Again,,Payroll,,2026-03-01,\n"
    )
    job = run(db, policies, tmp_path, text, kind=ImportKind.STAFF)
    found = reasons(db, job)
    assert set(found) == {5, 6, 7}
    assert "the name is missing" in found[5]
    assert "'x' is not an e-mail address" in found[5]
    assert "there is no team called 'Nowhere'" in found[5]
    assert "not a real date" in found[5]
    assert "leaving date is before the start date" in found[6]
    assert found[7] == "repeats line 3"
    apply_import(db, SYSTEM, job, policies.training, TODAY)
    assert (job.rows_added, job.rows_updated, job.rows_unchanged) == (2, 1, 0)
    leaver = db.scalar(select(Staff).where(Staff.staff_number == "N2"))
    assert leaver.left_on == dt.date(2026, 3, 31)
    assert db.scalar(select(Staff).where(Staff.staff_number == "P1")).name == "Pat One"


def test_staff_import_missing_column(db, policies, tmp_path, people):
    job = run(db, policies, tmp_path, "Staff number,Name\nP1,Pat\n", kind=ImportKind.STAFF)
    assert job.status is ImportStatus.FAILED
    assert "team, started on" in job.message


# Excel workbooks (.xlsx): the same rules and reporting, a line being the sheet's row number.

XLSX_HEADER = (1, ["Staff number", "Course code", "Completed on"])


def xlsx_bytes(tmp_path, rows, **replace):
    """An Excel-style workbook of ``rows``, or a one-sheet one with parts replaced."""
    if replace:
        return package(tmp_path / "built.xlsx", sheet_xml(""), **replace).read_bytes()
    return excel(tmp_path / "built.xlsx", rows).read_bytes()


def test_excel_completions_are_checked_like_csv(db, policies, tmp_path, people):
    make_staff(db, people[0].team, staff_number="1001")
    rows = [
        XLSX_HEADER,
        (2, ["P1", "DSA", dt.date(2026, 1, 5)]),
        (4, [1001, "igf", dt.date(2025, 3, 31)]),  # row 3 left blank; a number as staff number
        (5, ["NOBODY", "DSA", dt.date(2026, 1, 5)]),
        (6, ["P2", "DSA", "05/13/2026"]),  # text, so the day-first rule applies
        (7, ["P2", "DSA", 46027]),  # a date typed into a General cell: not guessed
        (8, ["P3", "DSA", dt.date(2026, 11, 21)]),
        (9, [None, None, None]),
        (10, ["P1", "DSA", "05/01/2026"]),
        (11, ["P3", "CYB", "4 Jan 2026"]),
    ]
    job = run(db, policies, tmp_path, "", name="export.xlsx", raw=xlsx_bytes(tmp_path, rows))
    assert job.status is ImportStatus.CHECKED
    assert (job.rows_checked, job.rows_valid, job.rows_rejected) == (8, 3, 5)
    found = reasons(db, job)
    assert found[5] == "no member of staff has the number 'NOBODY'"
    assert "'05/13/2026' is not a real date (dates are read day first)" in found[6]
    assert "'46027' is not a date in the form" in found[7]
    assert "is in the future" in found[8]
    assert found[10] == "repeats line 2"
    apply_import(db, SYSTEM, job, policies.training, TODAY)
    assert set(db.scalars(select(Completion.completed_on))) == {
        dt.date(2026, 1, 5),
        dt.date(2025, 3, 31),
        dt.date(2026, 1, 4),
    }


def test_excel_staff_register(db, policies, tmp_path, people):
    rows = [
        (
            1,
            ["\ufeffStaff number", "Name", "Work email", "Team", "Job title", "Start date", "Left"],
        ),
        (2, ["N1", "New Person", "new@eastmere.example", "payroll", "Clerk", dt.date(2026, 3, 1)]),
        (3, ["N2", "Leaver", None, "Payroll", None, "01/01/2020", dt.date(2026, 3, 31)]),
        (4, ["N3", "Early", None, "Payroll", None, dt.date(2026, 3, 1), dt.date(2025, 1, 1)]),
    ]
    raw = xlsx_bytes(tmp_path, rows)
    job = run(db, policies, tmp_path, "", kind=ImportKind.STAFF, name="hr.xlsx", raw=raw)
    assert reasons(db, job) == {4: "the leaving date is before the start date"}
    apply_import(db, SYSTEM, job, policies.training, TODAY)
    leaver = db.scalar(select(Staff).where(Staff.staff_number == "N2"))
    assert (leaver.started_on, leaver.left_on) == (dt.date(2020, 1, 1), dt.date(2026, 3, 31))


def test_a_workbook_is_known_by_its_content_not_its_name(db, policies, tmp_path, people):
    raw = xlsx_bytes(tmp_path, [XLSX_HEADER, (3, ["P1", "DSA", dt.date(2026, 1, 5)])])
    job = run(db, policies, tmp_path, "", name="export.csv", raw=raw)
    assert (job.status, job.rows_valid) == (ImportStatus.CHECKED, 1)


BOMB = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><sst>&a;</sst>'


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("export.xlsx", b"staff_number,course_code\n", "named .xlsx but is not an Excel workbook"),
        ("export.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old-style Excel"),
        ("export.xlsx", b"PK\x03\x04 not really a zip", "not an Excel workbook (.xlsx)"),
        ("export.xlsx", {"xl__sharedStrings": BOMB}, "contains a DTD, which is not allowed"),
        ("export.xlsx", {"xl__workbook": workbook_xml("")}, "no visible worksheet"),
        ("export.xlsx", [(2, [None]), (4, [""])], "the file is empty"),
        ("export.xlsx", [(1, ["Staff number", "Completed on"])], "no column for: course code"),
    ],
)
def test_workbooks_that_cannot_be_imported(db, policies, tmp_path, people, name, content, message):
    if isinstance(content, dict):
        content = xlsx_bytes(tmp_path, [], **content)
    elif isinstance(content, list):
        content = xlsx_bytes(tmp_path, content)
    job = run(db, policies, tmp_path, "", name=name, raw=content)
    assert job.status is ImportStatus.FAILED
    assert message in job.message
    assert job.message.startswith("The file cannot be imported: ")
    assert completions(db) == 0


def test_a_zip_bomb_is_not_imported(db, policies, tmp_path, people, monkeypatch):
    monkeypatch.setattr(xlsx_parts, "MAX_PART", 1 << 20)
    sheet = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>' * 60_000)
    raw = package(tmp_path / "bomb.xlsx", sheet).read_bytes()
    assert len(raw) < 50_000
    job = run(db, policies, tmp_path, "", name="export.xlsx", raw=raw)
    assert job.status is ImportStatus.FAILED
    assert "larger than 1 MB uncompressed" in job.message


@pytest.fixture
def cli(app, db):
    runner = app.test_cli_runner()

    def invoke(*args):
        db.commit()  # the command's session must see the set-up
        return runner.invoke(main, [str(arg) for arg in args])

    return invoke


def test_cli_imports_a_workbook(cli, db, tmp_path, people):
    rows = [XLSX_HEADER, (2, ["P1", "DSA", dt.date(2026, 1, 5)]), (5, ["NOBODY", "DSA", "x"])]
    path = excel(tmp_path / "learning.xlsx", rows)
    result = cli("import-training", path)
    assert result.exit_code == 1, result.output
    assert (
        "  line 5: no member of staff has the number 'NOBODY'; the completion date" in result.output
    )
    assert "1 valid rows, 1 rejected." in result.output
    assert "Nothing was imported" in result.output
    assert completions(db) == 0
    result = cli("import-training", path, "--import-valid")
    assert result.exit_code == 0, result.output
    assert "Imported: 1 added, 0 already on record, 1 rejected rows left out." in result.output
    assert completions(db) == 1


def test_cli_refuses_a_file_that_is_not_a_workbook(cli, db, tmp_path, people):
    path = tmp_path / "staff.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(100))
    result = cli("import-staff", path)
    assert result.exit_code == 1
    assert "The file cannot be imported: the file is not an Excel workbook (.xlsx)" in result.output


def upload(client, url, raw, name):
    data = {"file": (io.BytesIO(raw), name)}
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"], client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_upload_page_checks_and_imports_a_workbook(client, login_as, db, tmp_path, people):
    login_as("ig_officer")
    db.commit()
    rows = [XLSX_HEADER, (2, ["P1", "DSA", dt.date(2026, 1, 5)]), (7, ["P2", "NOPE", 46027])]
    page, body = upload(client, "/training/imports/new", xlsx_bytes(tmp_path, rows), "lms.xlsx")
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">7</td>' in body
    assert "there is no course with the code &#39;NOPE&#39;" in body
    assert "Import the 1 valid rows" in body
    decided = client.post(page, data={"apply": "y"})
    done = client.get(decided.headers["Location"]).get_data(as_text=True)
    assert "Imported: 1 added, 0 already on record, 1 rejected rows left out." in done


def test_upload_page_imports_a_staff_workbook(client, login_as, db, tmp_path, people):
    login_as("administrator")
    db.commit()
    rows = [
        (1, ["Staff number", "Name", "Team", "Start date"]),
        (2, ["N1", "New", "Payroll", dt.date(2025, 9, 1)]),
    ]
    page, body = upload(client, "/people/imports/new", xlsx_bytes(tmp_path, rows), "hr.xlsx")
    assert "Import the 1 valid rows" in body
    decided = client.post(page, data={"apply": "y"})
    assert "Imported: 1 added, 0 updated" in client.get(decided.headers["Location"]).get_data(
        as_text=True
    )
    assert db.scalar(select(Staff).where(Staff.staff_number == "N1")).started_on == dt.date(
        2025, 9, 1
    )


def test_upload_page_reports_a_refused_workbook(client, login_as, db, tmp_path, people):
    login_as("ig_officer")
    db.commit()
    _page, body = upload(client, "/training/imports/new", b"not a workbook", "lms.xlsx")
    assert "The file cannot be imported: the file is named .xlsx but is not an Excel" in body


def test_upload_form_names_both_formats(client, login_as, db):
    login_as("ig_officer")
    db.commit()
    assert b"Excel workbook (.xlsx)" in client.get("/training/imports/new").data
    response = client.post("/training/imports/new", data={})
    assert response.status_code == 422
    assert b"Choose a CSV or Excel (.xlsx) file to upload" in response.data
