"""Reading the first visible worksheet of an Excel workbook (.xlsx), with python-calamine.

calamine parses the XML (in Rust, with quick-xml, which expands no entity it was not
born with). Uploaded files are untrusted, and calamine reads a whole worksheet into
memory as a rectangle of cells, so the zip is checked here first, part by part,
before calamine opens it (``ig.training.xlsx_parts``): each part's size, inflated
once in blocks and capped (a zip bomb is refused, not expanded, even when the zip's
directory understates it); no DTD; UTF-8 only; and the rectangle each worksheet
would fill, from its cell references, within ``MAX_CELLS``.

Dates are whatever the cell's number format shows as a date (calamine reads the
styles); they come back as ISO dates, so the day and month are never guessed.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any

from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from ig.training.xlsx_parts import MAX_CELL, WorkbookError, check_parts

ZIP_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx

__all__ = ["OLD_EXCEL_MAGIC", "ZIP_MAGIC", "WorkbookError", "read_sheet"]


def read_sheet(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts) for each row of the workbook's first visible worksheet
    that holds a value. A value keeps its column: cells before it come back as empty
    strings. Raises WorkbookError for a file that is not a readable, safe workbook.
    """
    check_parts(data)
    try:
        yield from _rows(data)
    except WorkbookError:
        raise
    # calamine raises its CalamineError family, and a Rust panic arrives as pyo3's
    # PanicException, which derives from BaseException: none of them may reach the
    # person as a server error. KeyboardInterrupt and SystemExit are let through.
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as error:
        raise WorkbookError(f"the workbook cannot be read ({error})") from None


def _rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
        index = next(
            (
                number
                for number, sheet in enumerate(book.sheets_metadata)
                if sheet.typ == SheetTypeEnum.WorkSheet
                and sheet.visible == SheetVisibleEnum.Visible
            ),
            None,
        )
        if index is None:
            raise WorkbookError("the workbook has no visible worksheet")
        sheet = book.get_sheet_by_index(index)
        if sheet.start is None:
            return
        # Rows come from row 1 (empty ones included), columns from the first used one.
        before = [""] * sheet.start[1]
        for number, values in enumerate(sheet.iter_rows(), start=1):
            cells = [_TEXT.get(type(value), str)(value) for value in values]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                yield number, before + cells


def _string(value: str) -> str:
    if len(value) > MAX_CELL:
        raise WorkbookError("a cell holds more text than Excel allows")
    return value


def _number(value: float) -> str:
    """A number as a General cell shows it: 12345, not 12345.0."""
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def _time(value: dt.date | dt.time) -> str:
    return value.isoformat()


# A cell as the person reads it: dates in ISO form (a date and time loses its time of
# day), whole numbers without ".0", a duration as its number of days. Looked up by type.
_TEXT: dict[type, Callable[[Any], str]] = {
    str: _string,
    float: _number,
    int: str,
    bool: lambda value: "TRUE" if value else "FALSE",
    dt.date: _time,
    dt.datetime: lambda value: value.date().isoformat(),
    dt.time: _time,
    dt.timedelta: lambda value: _number(value / dt.timedelta(days=1)),
}
