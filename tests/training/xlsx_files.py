"""Hand-written .xlsx files for the tests, laid out part by part as Excel saves them."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = (
    DECLARATION + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
ROOT_RELS = (
    f'{DECLARATION}<Relationships xmlns="{PACKAGE}">'
    f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{OFFICE}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
# Cell styles as Excel writes them: 0 General, 1 a built-in date (14), 2 a custom UK date,
# 3 two decimal places, 4 a time of day, 5 a custom date with a locale and quoted text.
STYLES = (
    f'{DECLARATION}<styleSheet xmlns="{MAIN}"><numFmts count="3">'
    '<numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/>'
    '<numFmt numFmtId="165" formatCode="[h]:mm:ss"/>'
    '<numFmt numFmtId="166" formatCode="[$-809]d mmmm yyyy &quot;(UK)&quot;"/></numFmts>'
    '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0" fontId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
    '<xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="2" applyNumberFormat="1"/>'
    '<xf numFmtId="165" applyNumberFormat="1"/><xf numFmtId="166" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)
EPOCH = dt.date(1899, 12, 30)


def workbook_xml(
    sheets: str = '<sheet name="Export" sheetId="1" r:id="rId1"/>', pr: str = ""
) -> str:
    return (
        f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}">{pr}'
        f"<sheets>{sheets}</sheets></workbook>"
    )


def workbook_rels(sheets: int = 1) -> str:
    sheet_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{OFFICE}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{DECLARATION}<Relationships xmlns="{PACKAGE}">{sheet_rels}'
        f'<Relationship Id="rId90" Type="{OFFICE}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId91" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    )


def sheet_xml(rows: str) -> str:
    return (
        f'{DECLARATION}<worksheet xmlns="{MAIN}" xmlns:r="{OFFICE}"><dimension ref="A1"/>'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )


def shared_xml(strings: list[str]) -> str:
    items = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
    return f'{DECLARATION}<sst xmlns="{MAIN}" count="{len(strings)}">{items}</sst>'


def write_parts(path: Path, parts: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, content in parts.items():
            book.writestr(name, content)
    return path


def package(path: Path, sheet: str, strings: list[str] | None = None, **replace: str) -> Path:
    """A workbook whose one worksheet is ``sheet`` (sheet XML); ``replace`` swaps parts,
    named with __ for / and .xml understood: xl__styles is xl/styles.xml."""
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": workbook_xml(),
        "xl/_rels/workbook.xml.rels": workbook_rels(),
        "xl/styles.xml": STYLES,
        "xl/sharedStrings.xml": shared_xml(strings or []),
        "xl/worksheets/sheet1.xml": sheet,
    }
    parts.update({_part_name(name): content for name, content in replace.items()})
    return write_parts(path, parts)


def _part_name(name: str) -> str:
    path = name.replace("__", "/")
    return path if "." in path.rsplit("/", 1)[-1] else path + ".xml"


def excel(path: Path, rows: list[tuple[int, list[object]]]) -> Path:
    """A workbook saved the way Excel does: text in shared strings, dates as serial
    numbers in the built-in date style, gaps where a cell is None."""
    strings: dict[str, int] = {}
    xml = []
    for number, values in rows:
        cells = []
        for column, value in enumerate(values):
            ref = f"{chr(ord('A') + column)}{number}"
            if value is None:
                continue
            if isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, dt.date):
                cells.append(f'<c r="{ref}" s="1"><v>{(value - EPOCH).days}</v></c>')
            elif isinstance(value, int | float):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                index = strings.setdefault(str(value), len(strings))
                cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
        xml.append(f'<row r="{number}" spans="1:{len(values)}">{"".join(cells)}</row>')
    return package(path, sheet_xml("".join(xml)), list(strings))
