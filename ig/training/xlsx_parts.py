"""Checks on an uploaded workbook's zip, made before any parser sees it.

Every part is inflated once, here, a block at a time, from its own bytes in the file:
its size as the zip's directory states it must be within the limit, and the part must
end exactly there with the right checksum, so a directory that understates a part
(which a reader trusting it would inflate without end) is caught. While inflating, the
text is looked at, never parsed: a DTD is refused, as is any encoding but UTF-8 (the
checks below read bytes as ASCII), and the start tags of rows and cells are followed
to work out how large a rectangle each worksheet would fill. calamine holds a
worksheet as that full rectangle, so two cells at A1 and XFD1048576 would ask it for
17 billion cells; the rectangle is limited to ``MAX_CELLS``.
"""

from __future__ import annotations

import functools
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from operator import itemgetter
from typing import BinaryIO

MAX_PART = 256 * 1024 * 1024  # inflated bytes of a worksheet or the shared strings
MAX_SMALL_PART = 16 * 1024 * 1024  # any other part: the workbook, relationships, styles
MAX_MEMBERS = 10_000
MAX_CELL = 4 * 32_767  # Excel holds at most 32,767 characters in a cell
MAX_CELLS = 5_000_000  # rows (from row 1) x used columns: about 160 MB inside calamine
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384  # column XFD
MAX_TAG = 1 << 20
BLOCK = 1 << 16
OTHER_FORMATS = frozenset({"xl/workbook.bin", "content.xml", "mimetype"})
LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # a zip member's local file header
_DTD = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_DECLARED = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_UTF16 = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")
HEAD = 4096  # the encoding is judged once this much of a part, or its declaration, is in
# Row and cell start tags, with or without a prefix (any name, as XML allows), and the
# same read whole: attributes quoted (a value may hold ">" or "<"), names of any letters.
_START = re.compile(rb"""<(?:[^\s<>/:="']+:)?(?:row|c)(?=[\s/>])""")
_TAG = re.compile(
    rb"""<(?:[^\s<>/:="']+:)?(row|c)"""
    rb"""((?:\s+[^\s<>/="']+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*/?>"""
)
# Row and cell start tags as Excel writes them, r first. When every "<c" and "<row" in
# a block starts one of these, none has a prefix, and the block holds no other "r=",
# the references are taken without Python work a tag; otherwise each tag is read.
_EXCEL_TAG = re.compile(rb'<(?:row|c) r="([A-Za-z]{0,3})([0-9]{1,7})"')
_ATTRIBUTE = re.compile(rb"""([^\s<>/="']+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_DIGITS = b"0123456789"


class WorkbookError(Exception):
    """The file is not a workbook that can be read; the message says why, for the person."""


def check_parts(data: bytes) -> None:
    """Refuse a zip that is not safe to hand to calamine; WorkbookError says why."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    # NotImplementedError: a part claims a zip version newer than Python reads (found by
    # tests/training/test_xlsx_limits.py's changed-byte property).
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise WorkbookError(
            "the file is not an Excel workbook (.xlsx) that can be opened"
        ) from None
    with book, io.BytesIO(data) as raw:
        members = book.infolist()
        if len(members) > MAX_MEMBERS:
            raise WorkbookError("the file holds too many parts to be a workbook")
        # calamine reads an .xlsx's workbook from xl/workbook.xml; failing that, it would
        # try the file as a binary workbook (.xlsb) or an OpenDocument one (.ods), which
        # the checks below cannot follow: a zip that could be either is refused.
        names = {info.filename for info in members}
        if "xl/workbook.xml" not in names or names & OTHER_FORMATS:
            raise WorkbookError("the file is a zip archive but not an Excel workbook (.xlsx)")
        for info in members:
            area = _Area(info.filename)
            for block in _inflate(raw, info):
                area.feed(block)
            area.close()


def _limit(name: str) -> int:
    large = name.startswith("xl/worksheets/") or "sharedstrings" in name.lower()
    return MAX_PART if large else MAX_SMALL_PART


def _inflate(raw: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes, inflated a block at a time from where its local header says."""
    name, limit = info.filename, _limit(info.filename)
    if info.file_size > limit:
        raise WorkbookError(
            f"the part {name} is larger than {limit // 2**20} MB uncompressed, so it was not opened"
        )
    broken = WorkbookError(f"the part {name} cannot be decompressed")
    if info.flag_bits & 1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise broken  # encrypted, or a method calamine does not read
    raw.seek(info.header_offset)
    header = raw.read(LOCAL_HEADER.size)
    if len(header) < LOCAL_HEADER.size or not header.startswith(b"PK\x03\x04"):
        raise broken
    *_, name_length, extra_length = LOCAL_HEADER.unpack(header)
    raw.seek(info.header_offset + LOCAL_HEADER.size + name_length + extra_length)
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    left, produced, checksum = info.compress_size, 0, 0
    try:
        while left > 0:
            data = raw.read(min(BLOCK, left))
            if not data:
                raise broken
            left -= len(data)
            for block in _blocks(inflater, data):
                produced += len(block)
                if produced > info.file_size:  # more than the directory says: refused
                    raise broken
                checksum = zlib.crc32(block, checksum)
                yield block
    except zlib.error:
        raise broken from None
    ended = inflater is None or inflater.eof
    if not ended or produced != info.file_size or checksum != info.CRC:
        raise broken


def _blocks(inflater: zlib._Decompress | None, data: bytes) -> Iterator[bytes]:
    if inflater is None:
        yield data
        return
    while True:
        block = inflater.decompress(data, BLOCK)
        data = inflater.unconsumed_tail
        if not block and not data:
            return
        yield block


class _Area:
    """Follows a part's text: refuses a DTD or an encoding other than UTF-8, and works
    out the rectangle of cells calamine would fill if the part were a worksheet.

    Bounds are generous, never short. calamine places a cell by its ``r`` reference, or
    else one column after the cell before it in the same row element, in that row
    element's row; a row element without ``r`` is the one after the row before it.
    Each block is followed up to its last "<"; what comes after waits for the next.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.carry = b""
        self.started = False
        self.last_row = self.unnumbered_rows = 0
        self.in_row = [-1, 0]  # this row's largest referenced column; its cells without r
        self.right, self.left = -1, MAX_COLUMNS

    def feed(self, block: bytes) -> None:
        text = self.carry + block
        if not self.started:
            if len(text) < HEAD and b"?>" not in text:
                self.carry = text
                return
            self._check_encoding(text)
        if _DTD.search(text):
            raise WorkbookError("the workbook contains a DTD, which is not allowed")
        cut = text.rfind(b"<")  # tags before the last "<" are whole, unless damaged
        if cut > 0:
            carry = self._follow(text, cut, final=False)
            text = text[cut if carry is None else carry :]
        if len(text) > MAX_TAG or cut == -1:
            if _START.match(text):  # a row or cell tag longer than any reader needs
                raise WorkbookError(f"the part {self.name} has an element that cannot be read")
            text = b""  # text, or another element: nothing to follow in it
        self.carry = text

    def _check_encoding(self, head: bytes) -> None:
        self.started = True
        declared = _DECLARED.search(head[:HEAD])
        encoding = declared[1].lower().replace(b"-", b"") if declared else b"utf8"
        if head.startswith(_UTF16) or encoding != b"utf8":
            raise WorkbookError(f"the part {self.name} is not in UTF-8, as Excel saves it")

    def _follow(self, text: bytes, end: int, final: bool) -> int | None:
        """Follow the row and cell tags starting before ``end``; where to read on from,
        if a tag there may not have been read whole yet."""
        plain = text.count(b"<c", 0, end) + text.count(b"<row", 0, end)  # "<col" too
        prefixed = text.count(b":c", 0, end) + text.count(b":row", 0, end)
        if not plain and not prefixed:
            return None
        if not prefixed:
            references = _EXCEL_TAG.findall(text, 0, end)
            if len(references) == plain == text.count(b"r=", 0, end):
                self._follow_excel(references)
                return None
        at = 0
        while (start := _START.search(text, at, end)) is not None:
            tag = _TAG.match(text, start.start())
            if tag is not None:
                self._tag(tag[1], _reference(tag[2]))
                at = tag.end()
            elif not final and len(text) - start.start() < MAX_TAG:
                return start.start()  # perhaps cut short: read again with what follows
            else:  # not a tag any reader takes whole: counted as a cell, to be safe
                self._tag(b"c", None)
                at = start.end()
        return None

    def _tag(self, kind: bytes, reference: bytes | None) -> None:
        if kind == b"row":
            self._end_row()
            if reference is None:
                self.unnumbered_rows += 1
            else:
                self.last_row = max(self.last_row, _row_number(reference))
        elif reference is None:
            self.in_row[1] += 1
            self.left = 0
        else:
            column, row = _cell(reference)
            self.last_row = max(self.last_row, row)
            self.in_row[0] = max(self.in_row[0], column)
            self.left = min(self.left, column)

    def _follow_excel(self, references: list[tuple[bytes, bytes]]) -> None:
        """Every tag has its reference: the largest row, and the columns' extent, taken
        over the block as a whole (as if one row, which can only make the bound larger)."""
        rows = list(map(int, map(itemgetter(1), references)))
        if not 1 <= min(rows) <= max(rows) <= MAX_ROWS:
            bad = min(rows) if min(rows) < 1 else max(rows)
            raise WorkbookError(f"the worksheet has a row numbered {bad}")
        self.last_row = max(self.last_row, max(rows))
        columns = [_column(letters) for letters in set(map(itemgetter(0), references)) if letters]
        if columns:
            self.in_row[0] = max(self.in_row[0], *columns)
            self.left = min(self.left, *columns)

    def _end_row(self) -> None:
        numbered, unnumbered = self.in_row
        self.right = max(self.right, numbered + unnumbered)
        self.in_row = [-1, 0]

    def close(self) -> None:
        if not self.started:
            self._check_encoding(self.carry)
        if _DTD.search(self.carry):
            raise WorkbookError("the workbook contains a DTD, which is not allowed")
        self._follow(self.carry, len(self.carry), final=True)
        self._end_row()
        if self.right < 0:
            return
        rows = self.last_row + self.unnumbered_rows
        cells = rows * (self.right - min(self.left, self.right) + 1)
        if cells > MAX_CELLS:
            raise WorkbookError(
                f"the worksheet spans {cells:,} cells (its rows times its used columns), "
                f"more than {MAX_CELLS:,}: delete the rows and columns below and beside "
                "the data, or save it as CSV UTF-8"
            )


def _reference(attributes: bytes) -> bytes | None:
    """The value of the r attribute, the last if repeated (as calamine reads it), or None."""
    if attributes.startswith(b' r="') and attributes.count(b"r=") == 1:
        return attributes[4 : attributes.index(b'"', 4)]  # as Excel writes it: r first
    if b"r" not in attributes:
        return None
    found = None
    for name, double, single in _ATTRIBUTE.findall(attributes):
        if name == b"r":
            found = double or single
    return found


@functools.lru_cache(maxsize=4096)
def _cell(reference: bytes) -> tuple[int, int]:
    """(column index, row number) of a reference such as B12, in either case."""
    letters = reference.rstrip(_DIGITS)
    if not 1 <= len(letters) <= 3 or not letters.isalpha() or len(letters) == len(reference):
        shown = reference.decode("utf-8", "replace")
        raise WorkbookError(f"the worksheet has a cell reference {shown!r}")
    return _column(letters), _row_number(reference[len(letters) :])


def _row_number(text: bytes) -> int:
    number = int(text) if text.isdigit() else 0
    if not 1 <= number <= MAX_ROWS:
        raise WorkbookError(f"the worksheet has a row numbered {text.decode('utf-8', 'replace')}")
    return number


def _column(letters: bytes) -> int:
    """0 for A ... 16383 for XFD, in either case."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + letter - ord("A") + 1
    if index > MAX_COLUMNS:
        raise WorkbookError(f"the worksheet has a column {letters.decode()!r} beyond XFD")
    return index - 1
