"""The .xlsx reader (python-calamine behind checks on the zip): every kind of cell,
dates by style, and the files it must refuse, each with a message for the person."""

from __future__ import annotations

import datetime as dt
import time
import zipfile

import pytest

from ig.training import xlsx_parts
from ig.training.xlsx import WorkbookError, read_sheet
from tests.training.xlsx_files import (
    MAIN,
    OFFICE,
    PACKAGE,
    excel,
    package,
    sheet_xml,
    workbook_rels,
    workbook_xml,
    write_parts,
)


def rows_of(path):
    return list(read_sheet(path.read_bytes()))


def one_sheet(tmp_path, rows, strings=None, **replace):
    return rows_of(package(tmp_path / "book.xlsx", sheet_xml(rows), strings, **replace))


def test_a_workbook_saved_the_way_excel_does(tmp_path):
    path = excel(
        tmp_path / "export.xlsx",
        [
            (1, ["Staff number", "Course", "Completed"]),
            (2, ["P1", "DSA", dt.date(2026, 1, 5)]),
            (4, [1001, None, dt.date(2025, 3, 31)]),
            (5, ["P1", "DSA", True]),
        ],
    )
    assert rows_of(path) == [
        (1, ["Staff number", "Course", "Completed"]),
        (2, ["P1", "DSA", "2026-01-05"]),
        (4, ["1001", "", "2025-03-31"]),
        (5, ["P1", "DSA", "TRUE"]),
    ]


def test_cells_of_every_kind(tmp_path):
    rows = (
        '<row r="1">'
        '<c r="A1" t="inlineStr"><is><t>inline</t></is></c>'
        '<c r="B1" t="inlineStr"><is><r><t xml:space="preserve">rich </t></r>'
        "<r><rPr><b/></rPr><t>text</t></r><rPh><t>ignored</t></rPh></is></c>"
        '<c r="C1" t="str"><f>UPPER("x")</f><v>X</v></c>'
        '<c r="E1" t="b"><v>0</v></c>'
        '<c r="F1" t="d"><v>2026-01-05T00:00:00</v></c>'
        '<c r="G1" t="s"><v>1</v></c>'
        "</row>"
        '<row r="2"><c r="A2"><v>12345.0</v></c><c r="B2"><v>1.5</v></c>'
        '<c r="C2"><v>1E+3</v></c><c r="D2"><v>0.1</v></c><c r="E2"/><c r="F2"><v>-7</v></c></row>'
    )
    assert one_sheet(tmp_path, rows, ["zero", "a &amp; b < c"]) == [
        (1, ["inline", "rich text", "X", "", "FALSE", "2026-01-05", "a &amp; b < c"]),
        (2, ["12345", "1.5", "1000", "0.1", "", "-7"]),
    ]


def test_gaps_keep_each_value_in_its_column(tmp_path):
    rows = (
        '<row r="3"><c r="C3"><v>2</v></c><c r="F3"><v>5</v></c></row>'
        '<row r="5"><c r="AA5"><v>27</v></c></row>'
        '<row r="9" spans="1:3"/>'
    )
    assert one_sheet(tmp_path, rows) == [
        (3, ["", "", "2", "", "", "5"]),
        (5, [*[""] * 26, "27"]),
    ]


def test_cells_without_references_follow_one_another(tmp_path):
    rows = "<row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>"
    assert one_sheet(tmp_path, rows) == [(1, ["1", "2"]), (2, ["3"])]


@pytest.mark.parametrize(
    ("style", "value", "expected"),
    [
        (1, "46027", "2026-01-05"),  # built-in 14, m/d/yyyy in Excel's US default
        (2, "46027", "2026-01-05"),  # custom dd/mm/yyyy;@
        (5, "46027.75", "2026-01-05"),  # custom with a locale and quoted text; time dropped
        (3, "46027", "46027"),  # 0.00: a number, not a date
        (4, "0.5", "0.5"),  # [h]:mm:ss: a duration, shown as the number of days
        (0, "46027", "46027"),  # General
        (1, "61", "1900-03-01"),  # after Excel's 29 February 1900, which never was
    ],
)
def test_numbers_are_dates_only_in_a_date_style(tmp_path, style, value, expected):
    rows = f'<row r="1"><c r="A1" s="{style}"><v>{value}</v></c></row>'
    assert one_sheet(tmp_path, rows) == [(1, [expected])]


def test_the_1904_date_system(tmp_path):
    rows = '<row r="1"><c r="A1" s="1"><v>1</v></c><c r="B1" s="1"><v>44565</v></c></row>'
    book = workbook_xml(pr='<workbookPr date1904="1"/>')
    assert one_sheet(tmp_path, rows, xl__workbook=book) == [(1, ["1904-01-02", "2026-01-05"])]


def test_the_first_visible_worksheet_is_read(tmp_path):
    sheets = (
        '<sheet name="Notes" sheetId="1" state="hidden" r:id="rId1"/>'
        '<sheet name="Export" sheetId="2" r:id="rId2"/>'
        '<sheet name="Other" sheetId="3" r:id="rId3"/>'
    )
    path = package(
        tmp_path / "book.xlsx",
        sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>hidden</t></is></c></row>'),
        xl__workbook=workbook_xml(sheets),
        **{"xl/_rels/workbook.xml.rels": workbook_rels(sheets=3)},
        xl__worksheets__sheet2=sheet_xml('<row r="7"><c r="A7"><v>2</v></c></row>'),
        xl__worksheets__sheet3=sheet_xml('<row r="1"><c r="A1"><v>3</v></c></row>'),
    )
    assert rows_of(path) == [(7, ["2"])]


def test_a_byte_order_mark_reaches_no_cell(tmp_path):
    """Some writers start each part with a UTF-8 byte-order mark; the reader drops it."""
    bom = b"\xef\xbb\xbf"
    rows = sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2</v></c></row>')
    strings = f'<sst xmlns="{MAIN}"><si><t>Staff number</t></si></sst>'
    path = package(
        tmp_path / "bom.xlsx",
        "",
        xl__worksheets__sheet1=bom + rows.encode(),
        xl__sharedStrings=bom + strings.encode(),
        xl__workbook=bom + workbook_xml().encode(),
    )
    assert rows_of(path) == [(1, ["Staff number", "2"])]


def test_strict_open_xml_namespaces(tmp_path):
    strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    sheet = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>').replace(MAIN, strict)
    assert one_sheet(tmp_path, "", xl__worksheets__sheet1=sheet) == [(1, ["1"])]


def test_many_shared_strings_come_back_in_any_order(tmp_path):
    texts = [f"Person {n} ü ✓" for n in range(6000)]
    order = [*range(5999, -1, -7), *range(0, 6000, 5), 3, 3]
    rows = "".join(
        f'<row r="{n + 1}"><c r="A{n + 1}" t="s"><v>{index}</v></c></row>'
        for n, index in enumerate(order)
    )
    assert [cells[0] for _, cells in one_sheet(tmp_path, rows, texts)] == [
        texts[index] for index in order
    ]


# Files that must be refused, each with a message for the person.


def refused(path, message):
    with pytest.raises(WorkbookError, match=message):
        rows_of(path)


def test_a_file_that_is_not_a_zip(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_text("Staff number,Course\n")
    refused(path, "not an Excel workbook")


def test_a_truncated_zip(tmp_path):
    path = excel(tmp_path / "book.xlsx", [(1, ["a"])])
    path.write_bytes(path.read_bytes()[:300])
    refused(path, "not an Excel workbook")


def test_a_zip_that_is_not_a_workbook(tmp_path):
    document = f'<w:document xmlns:w="{MAIN}"/>'
    rels = (
        f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
        f'Type="{OFFICE}/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    refused(
        write_parts(tmp_path / "a.xlsx", {"_rels/.rels": rels, "word/document.xml": document}),
        "zip archive but not an Excel workbook",
    )
    refused(write_parts(tmp_path / "b.xlsx", {"notes.txt": "hello"}), "not an Excel workbook")


@pytest.mark.parametrize(
    "extra",
    [
        {"xl/workbook.bin": b"\x83\x01\x00"},
        {
            "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": "<office:document-content/>",
        },
    ],
    ids=["xlsb", "ods"],
)
def test_a_zip_that_calamine_could_read_as_another_format_is_refused(tmp_path, extra):
    """Binary (.xlsb) and OpenDocument parts are not checked like XML worksheets."""
    path = package(tmp_path / "book.xlsx", sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))
    with zipfile.ZipFile(path, "a") as book:
        for name, content in extra.items():
            book.writestr(name, content)
    refused(path, "zip archive but not an Excel workbook")


def test_a_workbook_without_a_worksheet(tmp_path):
    refused(
        package(tmp_path / "book.xlsx", "", xl__workbook=workbook_xml("")), "no visible worksheet"
    )


def test_a_missing_worksheet_part(tmp_path):
    path = package(tmp_path / "book.xlsx", "")
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist() if "worksheets" not in name}
    refused(write_parts(tmp_path / "missing.xlsx", parts), "workbook cannot be read")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ('<row r="1"><c r="A1" t="s"><v>5</v></c></row>', "cannot be read .*shared string"),
        ('<row r="1"><c r="XFE1"><v>1</v></c></row>', "column 'XFE' beyond XFD"),
        ('<row r="1"><c r="$A$1"><v>1</v></c></row>', r"cell reference '\$A\$1'"),
        ('<row r="0"><c r="A1"><v>1</v></c></row>', "a row numbered 0"),
        ('<row r="1"><c r="A1048577"><v>1</v></c></row>', "a row numbered 1048577"),
        ('<row r="1"><c r="A1"><v>1</v></row>', "workbook cannot be read"),
        ('<row r="1"><c r=A1><v>1</v></c></row>', "workbook cannot be read"),
    ],
)
def test_a_damaged_worksheet(tmp_path, rows, message):
    refused(package(tmp_path / "book.xlsx", sheet_xml(rows)), message)


def test_a_cell_longer_than_excel_allows(tmp_path):
    text = "x" * (xlsx_parts.MAX_CELL + 1)
    rows = f'<row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row>'
    refused(package(tmp_path / "book.xlsx", sheet_xml(rows)), "more text than Excel allows")


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)


@pytest.mark.parametrize(
    "part",
    ["xl__worksheets__sheet1", "xl__sharedStrings", "xl__styles", "xl__workbook", "_rels__.rels"],
)
def test_an_xml_bomb_is_refused_not_expanded(tmp_path, part):
    body = {
        "xl__worksheets__sheet1": f'<worksheet xmlns="{MAIN}"><sheetData><row>'
        '<c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>',
        "xl__sharedStrings": f'<sst xmlns="{MAIN}"><si><t>&lol9;</t></si></sst>',
        "xl__styles": f'<styleSheet xmlns="{MAIN}"><numFmts>'
        '<numFmt numFmtId="164" formatCode="&lol9;"/></numFmts></styleSheet>',
        "xl__workbook": f'<workbook xmlns="{MAIN}"><sheets>&lol9;</sheets></workbook>',
        "_rels__.rels": f'<Relationships xmlns="{PACKAGE}">&lol9;</Relationships>',
    }[part]
    started = time.perf_counter()
    refused(
        package(tmp_path / "bomb.xlsx", sheet_xml(""), **{part: LAUGHS + body}), "contains a DTD"
    )
    assert time.perf_counter() - started < 1


def test_an_external_entity_is_refused(tmp_path):
    sheet = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f'<worksheet xmlns="{MAIN}"><sheetData><row><c t="inlineStr"><is><t>&x;</t></is></c>'
        "</row></sheetData></worksheet>"
    )
    refused(package(tmp_path / "xxe.xlsx", sheet), "contains a DTD")
