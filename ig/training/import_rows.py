"""Reading and checking the rows of an uploaded CSV or Excel file, one at a time.

Files come from the HR system (staff) and the learning system (completions) and are
messy: a byte-order mark, blank lines, headers in any case, UK dates, Excel workbooks. Each row is
checked against the rules and the look-ups; nothing here writes to the database.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ig.auth.rules import EMAIL
from ig.training.rules import DateError, parse_date
from ig.training.xlsx import OLD_EXCEL_MAGIC, ZIP_MAGIC, WorkbookError, read_sheet

# Accepted spellings of each column, compared without case, spaces or punctuation.
COMPLETION_COLUMNS = {
    "staff_number": ("staffnumber", "employeenumber", "staffid", "employeeid", "personnumber"),
    "course_code": ("coursecode", "course", "modulecode"),
    "completed_on": ("completedon", "completiondate", "datecompleted", "completed"),
}
STAFF_COLUMNS = {
    "staff_number": COMPLETION_COLUMNS["staff_number"],
    "name": ("name", "fullname", "staffname", "employeename"),
    "work_email": ("workemail", "email", "emailaddress"),
    "team": ("team", "teamname", "department"),
    "job_title": ("jobtitle", "title", "role", "position"),
    "started_on": ("startedon", "startdate", "started", "dateofjoining"),
    "left_on": ("lefton", "leavingdate", "enddate", "left", "dateleft"),
}
OPTIONAL = {"work_email", "job_title", "left_on"}


class FileRejected(Exception):
    """The file as a whole cannot be read (no header, a required column missing)."""


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def map_header(header: list[str], columns: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    """Column positions by our name; FileRejected naming any required column missing."""
    positions = {_norm(name): index for index, name in reversed(list(enumerate(header)))}
    found: dict[str, int] = {}
    for ours, spellings in columns.items():
        for spelling in spellings:
            if spelling in positions:
                found[ours] = positions[spelling]
                break
    missing = [name for name in columns if name not in found and name not in OPTIONAL]
    if missing:
        readable = ", ".join(name.replace("_", " ") for name in missing)
        raise FileRejected(f"the header row has no column for: {readable}")
    return found


def file_hash(data: bytes) -> str:
    """SHA-256 of the file: the same file is recognised when sent again."""
    return hashlib.sha256(data).hexdigest()


def read_rows(
    data: bytes, name: str, columns: Mapping[str, tuple[str, ...]]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for each non-blank row of the file ``data``, one at
    a time, as it was uploaded under ``name``.

    The file's content decides how it is read: a zip is read as an Excel workbook
    (.xlsx, its first visible worksheet, where the line number is the sheet's row
    number), anything else as CSV. Blank rows are skipped but still counted, so line
    numbers match what the person sees in their spreadsheet or editor.
    """
    header: list[str] | None = None
    for line, row in _rows_of(data, name):
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = row
            positions = map_header(header, columns)
            continue
        yield (
            line,
            {
                name: (row[index].strip() if index < len(row) else "")
                for name, index in positions.items()
            },
        )
    if header is None:
        raise FileRejected("the file is empty: it needs a header row and data rows")


def _rows_of(data: bytes, name: str) -> Iterator[tuple[int, list[str]]]:
    """Every row of the file with its line number, read as a workbook or as CSV."""
    if data.startswith(ZIP_MAGIC):
        return _workbook_rows(data)
    if data.startswith(OLD_EXCEL_MAGIC):
        raise FileRejected(
            "the file is an old-style Excel workbook (.xls) or a password-protected one: "
            "save it as an Excel Workbook (.xlsx) without a password, or as CSV UTF-8"
        )
    if name.lower().endswith(".xlsx"):
        raise FileRejected(
            "the file is named .xlsx but is not an Excel workbook: "
            "save it from Excel as an Excel Workbook (.xlsx) or as CSV UTF-8"
        )
    return _csv_rows(data)


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """utf-8-sig drops a byte-order mark; the line number is where each record ends.

    The text is decoded a block at a time as the rows are read, not all at once.
    """
    try:
        with io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            for row in reader:
                yield reader.line_num, row
    except UnicodeDecodeError:
        raise FileRejected("the file is not UTF-8 text: save it as CSV UTF-8") from None
    except csv.Error as error:
        raise FileRejected(f"the file is not valid CSV ({error})") from None


def _workbook_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        yield from read_sheet(data)
    except WorkbookError as error:
        raise FileRejected(str(error)) from None


@dataclass(frozen=True)
class CompletionRow:
    staff_id: int
    course_code: str
    completed_on: dt.date


def check_completion(
    values: dict[str, str], staff_ids: Mapping[str, int], courses: set[str], today: dt.date
) -> CompletionRow:
    """The row as a completion, or ValueError with every reason it is wrong."""
    reasons = []
    number = values.get("staff_number", "")
    code = values.get("course_code", "").upper()
    staff_id = staff_ids.get(number)
    if not number:
        reasons.append("the staff number is missing")
    elif staff_id is None:
        reasons.append(f"no member of staff has the number {number!r}")
    if not code:
        reasons.append("the course code is missing")
    elif code not in courses:
        reasons.append(f"there is no course with the code {code!r}")
    completed = _date(values.get("completed_on", ""), "completion date", reasons)
    if completed is not None and completed > today:
        reasons.append(f"the completion date {completed:%d/%m/%Y} is in the future")
    if reasons or staff_id is None or completed is None:
        raise ValueError("; ".join(reasons))
    return CompletionRow(staff_id, code, completed)


@dataclass(frozen=True)
class StaffRow:
    staff_number: str
    name: str
    work_email: str
    team_id: int
    job_title: str
    started_on: dt.date
    left_on: dt.date | None


def check_staff(values: dict[str, str], team_ids: Mapping[str, int]) -> StaffRow:
    """The row as a staff record, or ValueError with every reason it is wrong."""
    reasons = []
    number, name = values.get("staff_number", ""), values.get("name", "")
    email, team = values.get("work_email", ""), values.get("team", "")
    if not number:
        reasons.append("the staff number is missing")
    elif len(number) > 40:
        reasons.append("the staff number is longer than 40 characters")
    if not name:
        reasons.append("the name is missing")
    if email and not EMAIL.match(email):
        reasons.append(f"{email!r} is not an e-mail address")
    team_id = team_ids.get(team.casefold())
    if team_id is None:
        reasons.append(f"there is no team called {team!r}" if team else "the team is missing")
    started = _date(values.get("started_on", ""), "start date", reasons)
    left = _date(values["left_on"], "leaving date", reasons) if values.get("left_on") else None
    if started and left and left < started:
        reasons.append("the leaving date is before the start date")
    if reasons or team_id is None or started is None:
        raise ValueError("; ".join(reasons))
    return StaffRow(
        number, name[:200], email[:320], team_id, values.get("job_title", "")[:200], started, left
    )


def _date(text: str, what: str, reasons: list[str]) -> dt.date | None:
    try:
        return parse_date(text)
    except DateError as error:
        reasons.append(f"the {what} cannot be read: {error}")
        return None
