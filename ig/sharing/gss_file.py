"""Reading an ONS names-and-codes CSV: the English council codes it lists, checked line by line."""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass

from ig.errors import ValidationFailed

MAX_ROWS = 5_000
# ONS names-and-codes columns carry the year: LAD25CD/LAD25NM, CTY25CD, CTYUA25CD...
CODE_COLUMN = re.compile(r"^(LAD|CTY|CTYUA|UTLA|LTLA)\d{2}CD$")
ENGLISH_COUNCIL = re.compile(r"^E(0[6-9]|10)\d{6}$")


@dataclass(frozen=True)
class GssFile:
    """A names-and-codes file read and checked: English council codes and their names."""

    names: dict[str, str]
    source: str | None  # from a "# source:" line, as the shipped files have
    dated_on: dt.date | None  # from a "# dated:" line

    @property
    def prefixes(self) -> list[str]:
        return sorted({code[:3] for code in self.names})


def _notes(lines: list[str]) -> tuple[dict[str, str], int]:
    """The "# key: value" lines at the top of a file, and how many lines they take."""
    notes: dict[str, str] = {}
    count = 0
    for line in lines:
        if not line.startswith("#"):
            break
        key, _, value = line[1:].partition(":")
        notes[key.strip().lower()] = value.strip()
        count += 1
    return notes, count


def _dated(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise ValidationFailed(
            "file", f"The dated line must be a date like 2025-04-01, not {value[:20]}"
        ) from error


def parse_gss_csv(text: str) -> GssFile:
    """The English council codes in an ONS names-and-codes CSV (columns like LAD25CD,
    LAD25NM; CTY25CD,CTY25NM; CTYUA25CD,CTYUA25NM). Welsh, Scottish and Northern Irish
    rows are left out. Raises ValidationFailed("file", ...) naming the line at fault.
    """
    lines = text.lstrip("\ufeff").splitlines()
    notes, skip = _notes(lines)
    reader = csv.reader(lines[skip:])
    header = [cell.strip().upper() for cell in next(reader, [])]
    code_at = next((i for i, cell in enumerate(header) if CODE_COLUMN.match(cell)), None)
    name_column = header[code_at][:-2] + "NM" if code_at is not None else ""
    if code_at is None or name_column not in header:
        raise ValidationFailed(
            "file",
            "The file is not an ONS names-and-codes CSV: its header needs a code column "
            "and its name column, like LAD25CD,LAD25NM",
        )
    name_at = header.index(name_column)
    names: dict[str, str] = {}
    for line, cells in enumerate(reader, start=skip + 2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(names) >= MAX_ROWS:
            raise ValidationFailed("file", f"The file has more than {MAX_ROWS} rows")
        if len(cells) <= max(code_at, name_at):
            raise ValidationFailed("file", f"Line {line}: the row is incomplete")
        code, name = cells[code_at].strip().upper(), cells[name_at].strip()
        if not code.startswith("E"):
            continue
        if not ENGLISH_COUNCIL.match(code):
            raise ValidationFailed(
                "file", f"Line {line}: {code[:20]} is not an English council's GSS code"
            )
        if not name or len(name) > 200:
            raise ValidationFailed(
                "file", f"Line {line}: {code} needs a name (200 characters at most)"
            )
        if code in names:
            raise ValidationFailed("file", f"Line {line}: {code} is listed twice")
        names[code] = name
    if not names:
        raise ValidationFailed("file", "The file lists no English council codes")
    return GssFile(names, notes.get("source") or None, _dated(notes.get("dated")))
