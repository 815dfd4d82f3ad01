"""Reading the first worksheet of an Excel workbook (.xlsx), one row at a time.

Only the standard library: a workbook is a zip of XML parts, read here with zipfile
and ElementTree's parser fed a block at a time, so no tree is ever built. Uploaded files
are untrusted: each part's decompressed size is capped (a zip bomb is refused, not
expanded) and a DTD is refused before any entity in it could be (an XML bomb). Dates
are serial numbers in a date style; they come back as ISO dates, so the day and month
are never guessed.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import posixpath
import re
import tempfile
import zipfile
import zlib
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import ParseError, XMLParser

ZIP_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
MAX_PART = 256 * 1024 * 1024  # decompressed bytes of the worksheet or its shared strings
MAX_SMALL_PART = 16 * 1024 * 1024  # the workbook, its relationships and styles
MAX_MEMBERS = 10_000
MAX_CELL = 4 * 32_767  # Excel holds at most 32,767 characters in a cell
MAX_COLUMNS = 16_384  # column XFD
MAX_DEPTH = 64  # a worksheet nests about six deep
BLOCK = 1 << 16
# ECMA-376 18.8.30: the built-in formats that show a date (18-21 and 45-47 are times).
BUILTIN_DATE_FORMATS = frozenset({14, 15, 16, 17, 22})
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].')
_REF = re.compile(r"([A-Z]{1,3})([0-9]+)\Z")


class WorkbookError(Exception):
    """The file is not a workbook that can be read; the message says why, for the person."""


def starts_like(path: Path, magic: bytes) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(magic)) == magic


def column_index(letters: str) -> int:
    """0 for A, 25 for Z, 26 for AA ... 16383 for XFD; ValueError for anything else."""
    if not letters or not letters.isascii() or not letters.isalpha() or not letters.isupper():
        raise ValueError(f"{letters!r} is not a column")
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    if index > MAX_COLUMNS:
        raise ValueError(f"{letters!r} is beyond Excel's last column")
    return index - 1


_cached_index = functools.lru_cache(maxsize=1024)(column_index)


def column_letters(index: int) -> str:
    """The inverse of ``column_index``."""
    if not 0 <= index < MAX_COLUMNS:
        raise ValueError(f"{index} is not a column")
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def is_date_format(code: str) -> bool:
    """Whether a number format shows a date: it has a day or year, or months but no time.

    Quoted text, escaped characters, [colours] and [$-locales] are not part of the pattern.
    """
    pattern = _LITERALS.sub("", code).split(";")[0].lower()
    if "d" in pattern or "y" in pattern:
        return True
    return "m" in pattern and "h" not in pattern and "s" not in pattern


def serial_date(text: str, date1904: bool = False) -> str | None:
    """An Excel serial day number as an ISO date (the time of day dropped), or None.

    The 1900 system counts 29 February 1900, which never was (Lotus 1-2-3's mistake,
    kept for compatibility): serial 60 is refused and later serials are one day on.
    """
    try:
        serial = float(text)
    except ValueError:
        return None
    if not math.isfinite(serial) or serial < 0:
        return None
    days = math.floor(serial)
    if date1904:
        base = dt.date(1904, 1, 1)
    elif days < 1 or days == 60:
        return None
    else:
        base = dt.date(1899, 12, 31) if days < 60 else dt.date(1899, 12, 30)
    try:
        return (base + dt.timedelta(days=days)).isoformat()
    except OverflowError:
        return None


def _number(text: str) -> str:
    """A number as the person sees it in a General cell: 12345, not 12345.0 or 1.2345E4."""
    try:
        value = float(text)
    except ValueError:
        return text
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return text


@functools.lru_cache(maxsize=256)  # a part uses a handful of tag names, row after row
def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _int(text: str | None, what: str) -> int:
    try:
        return int(text or "")
    except ValueError:
        raise WorkbookError(f"the workbook has {what} {text!r}, which is not a number") from None


class _Target:
    """A parser target: refuses a DTD and deep nesting, and gathers the text of <t> and
    <v> elements while ``pieces`` is a list, leaving out phonetic guides (<rPh>).
    Subclasses see elements through ``opened`` and ``closed``, by local name."""

    def __init__(self) -> None:
        self.pieces: list[str] | None = None
        self.size = self.depth = 0
        self.reading = self.phonetic = False

    @staticmethod
    def doctype(*_args: object) -> None:
        raise WorkbookError("the workbook contains a DTD, which is not allowed")

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:  # the parser keeps every open element in memory
            raise WorkbookError("the workbook nests its elements too deeply")
        name = _local(tag)
        self.opened(name, attrib)
        if name == "rPh":
            self.phonetic = True
        elif name in ("t", "v") and not self.phonetic and self.pieces is not None:
            self.reading = True

    def end(self, tag: str) -> None:
        self.depth -= 1
        name = _local(tag)
        if name == "rPh":
            self.phonetic = False
        elif name in ("t", "v"):
            self.reading = False
        self.closed(name)

    def data(self, text: str) -> None:
        if self.reading and self.pieces is not None:
            self.size += len(text)
            if self.size > MAX_CELL:
                raise WorkbookError("a cell holds more text than Excel allows")
            self.pieces.append(text)

    def take(self) -> str:
        text = "".join(self.pieces or ())
        self.pieces, self.size = None, 0
        return text

    def opened(self, name: str, attrib: dict[str, str]) -> None:
        """An element has started."""

    def closed(self, name: str) -> None:
        """An element has ended."""

    def close(self) -> None:
        """Called by the parser at the end of a part."""


class _Strings(_Target):
    """The shared strings, kept in a temporary file so memory does not grow with them."""

    def __init__(self) -> None:
        super().__init__()
        self.file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by discard()
        self.offsets = array("Q", [0])
        self.cache: dict[int, str] = {}

    def opened(self, name: str, attrib: dict[str, str]) -> None:
        if name == "si":
            self.pieces = []

    def closed(self, name: str) -> None:
        if name == "si":
            encoded = self.take().encode("utf-8", "surrogatepass")
            self.file.write(encoded)
            self.offsets.append(self.offsets[-1] + len(encoded))

    def __getitem__(self, index: int) -> str:
        if index in self.cache:
            return self.cache[index]
        if not 0 <= index < len(self.offsets) - 1:
            raise WorkbookError(f"a cell refers to shared string {index}, which does not exist")
        self.file.seek(self.offsets[index])
        text = self.file.read(self.offsets[index + 1] - self.offsets[index]).decode("utf-8")
        if len(self.cache) >= 4096:
            self.cache.clear()
        self.cache[index] = text
        return text

    def discard(self) -> None:
        self.file.close()


class _Styles(_Target):
    """The number format of each cell style (cellXfs), and the custom formats' codes."""

    def __init__(self) -> None:
        super().__init__()
        self.codes: dict[int, str] = {}
        self.formats: list[int] = []
        self.in_cell_styles = False

    def opened(self, name: str, attrib: dict[str, str]) -> None:
        if name == "numFmt":
            self.codes[_int(attrib.get("numFmtId"), "a number format")] = attrib.get(
                "formatCode", ""
            )
        elif name == "cellXfs":
            self.in_cell_styles = True
        elif name == "xf" and self.in_cell_styles:
            self.formats.append(_int(attrib.get("numFmtId", "0"), "a number format"))

    def closed(self, name: str) -> None:
        if name == "cellXfs":
            self.in_cell_styles = False

    def date_styles(self) -> frozenset[int]:
        """The indexes of the cell styles that show a date."""
        return frozenset(
            index
            for index, number in enumerate(self.formats)
            if (
                is_date_format(self.codes[number])
                if number in self.codes
                else number in BUILTIN_DATE_FORMATS
            )
        )


class _Workbook(_Target):
    """The worksheets in tab order (relationship id, visibility) and the date system."""

    def __init__(self) -> None:
        super().__init__()
        self.root = ""
        self.sheets: list[tuple[str, str]] = []
        self.date1904 = False

    def opened(self, name: str, attrib: dict[str, str]) -> None:
        self.root = self.root or name
        if name == "workbookPr":
            self.date1904 = attrib.get("date1904", "").lower() in ("1", "true")
        elif name == "sheet":
            ids = [
                value
                for key, value in attrib.items()
                if key.startswith("{") and key.endswith("}id")
            ]
            self.sheets.append((ids[0] if ids else "", attrib.get("state", "visible")))


class _Relations(_Target):
    """A part's relationships: id to (type, target part)."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.targets: dict[str, tuple[str, str]] = {}

    def opened(self, name: str, attrib: dict[str, str]) -> None:
        if name == "Relationship" and attrib.get("TargetMode") != "External":
            target = attrib.get("Target", "")
            part = target[1:] if target.startswith("/") else posixpath.join(self.base, target)
            self.targets[attrib.get("Id", "")] = (attrib.get("Type", ""), posixpath.normpath(part))

    def first(self, kind: str) -> str | None:
        return next((part for type_, part in self.targets.values() if type_.endswith(kind)), None)


class _Sheet(_Target):
    """Gathers finished rows as (row number, cell texts) while the worksheet is fed in."""

    def __init__(self, strings: _Strings, dates: frozenset[int], date1904: bool) -> None:
        super().__init__()
        self.strings, self.dates, self.date1904 = strings, dates, date1904
        self.rows: list[tuple[int, list[str]]] = []
        self.row, self.column, self.style = 0, -1, 0
        self.cells: list[str] = []
        self.kind = "n"

    def opened(self, name: str, attrib: dict[str, str]) -> None:
        if name == "row":
            self.row = _int(attrib["r"], "a row number") if "r" in attrib else self.row + 1
            if not 1 <= self.row <= 1_048_576:
                raise WorkbookError(f"the worksheet has a row numbered {self.row}")
            self.cells, self.column = [], -1
        elif name == "c":
            self.column = _column(attrib["r"]) if "r" in attrib else self.column + 1
            self.kind = attrib.get("t", "n")
            self.style = _int(attrib.get("s", "0"), "a cell style")
            self.pieces = []

    def closed(self, name: str) -> None:
        if name == "c":
            value = self.value(self.take())
            if value and self.column >= len(self.cells):
                self.cells.extend([""] * (self.column - len(self.cells)))
                self.cells.append(value)
            elif value:
                self.cells[self.column] = value
        elif name == "row":
            self.rows.append((self.row, self.cells))

    def value(self, text: str) -> str:
        """The cell as text: dates in ISO form, whole numbers without a decimal point."""
        kind = self.kind
        if kind == "s":
            return self.strings[_int(text, "a shared string")] if text else ""
        if kind == "b":
            return {"1": "TRUE", "0": "FALSE"}.get(text.strip(), text)
        if kind == "d":
            return text.strip()[:10]
        if kind in ("inlineStr", "str", "e") or not text:
            return text
        if self.style in self.dates:
            return serial_date(text, self.date1904) or _number(text)
        return _number(text)


def _column(reference: str) -> int:
    match = _REF.match(reference)
    try:
        if match is None:
            raise ValueError(reference)
        return _cached_index(match.group(1))
    except ValueError:
        raise WorkbookError(f"the worksheet has a cell reference {reference!r}") from None


def _blocks(book: zipfile.ZipFile, name: str, limit: int) -> Iterator[bytes]:
    """The part's bytes a block at a time, refused if its size is over ``limit``.

    zipfile inflates no more than the size the zip's directory states, and a part
    that is longer fails its checksum, so checking the stated size caps the work.
    """
    try:
        info = book.getinfo(name)
    except KeyError:
        raise WorkbookError(f"the workbook has no part {name}") from None
    if info.file_size > limit:
        raise WorkbookError(
            f"the part {name} is larger than {limit // 2**20} MB uncompressed, so it was not opened"
        )
    with book.open(info) as stream:
        while block := stream.read(BLOCK):
            yield block


def _feed(book: zipfile.ZipFile, name: str, target: _Target, limit: int) -> Iterator[None]:
    """Feed a part to ``target`` a block at a time, pausing after each block."""
    parser = XMLParser(target=target)  # noqa: S314 - target.doctype() refuses any DTD
    try:
        for block in _blocks(book, name, limit):
            parser.feed(block)
            yield
        parser.close()
    except ParseError as error:
        raise WorkbookError(f"the part {name} is not well-formed XML ({error})") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        # RuntimeError: zipfile's answer to an encrypted part.
        raise WorkbookError(f"the part {name} cannot be decompressed") from None


def _parse(book: zipfile.ZipFile, name: str, target: _Target, limit: int = MAX_SMALL_PART) -> None:
    for _ in _feed(book, name, target, limit):
        pass


def _locate(book: zipfile.ZipFile) -> tuple[_Workbook, str, str | None, str | None]:
    """The workbook, and the paths of its first visible worksheet, shared strings, styles."""
    names = set(book.namelist())
    package = _Relations("")
    if "_rels/.rels" in names:
        _parse(book, "_rels/.rels", package)
    path = package.first("/officeDocument") or "xl/workbook.xml"
    workbook = _Workbook()
    if path in names:
        _parse(book, path, workbook)
    if workbook.root != "workbook":
        raise WorkbookError("the file is a zip archive but not an Excel workbook (.xlsx)")
    folder, file_name = posixpath.split(path)
    relations = _Relations(folder)
    _parse(book, posixpath.join(folder, "_rels", file_name + ".rels"), relations)
    for relation_id, state in workbook.sheets:
        kind, sheet = relations.targets.get(relation_id, ("", ""))
        if state == "visible" and kind.endswith("/worksheet"):
            return workbook, sheet, relations.first("/sharedStrings"), relations.first("/styles")
    raise WorkbookError("the workbook has no visible worksheet")


def read_sheet(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts) for each row of the workbook's first visible worksheet.

    A value keeps its column: cells left out before it come back as empty strings.
    Raises WorkbookError for a file that is not a readable, safe workbook.
    """
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise WorkbookError(
            "the file is not an Excel workbook (.xlsx) that can be opened"
        ) from None
    with book:
        if len(book.infolist()) > MAX_MEMBERS:
            raise WorkbookError("the file holds too many parts to be a workbook")
        workbook, sheet, shared, styles_path = _locate(book)
        styles = _Styles()
        if styles_path:
            _parse(book, styles_path, styles)
        strings = _Strings()
        try:
            if shared:
                _parse(book, shared, strings, MAX_PART)
            target = _Sheet(strings, styles.date_styles(), workbook.date1904)
            for _ in _feed(book, sheet, target, MAX_PART):
                yield from target.rows
                target.rows.clear()
        finally:
            strings.discard()
