"""Importing completions from an Excel workbook (.xlsx), read by python-calamine.

The same organisation as the training benchmark (20,000 staff, 400,000 completions);
checks and imports 100,000 new completions saved as a workbook the way Excel saves one
(shared strings, dates as serial numbers in a date style), and the same rows as CSV in
the same run for comparison. Reports rows a second against the import target, and the
process's peak resident memory (calamine's memory is outside Python's tracemalloc).

Run: ``python -m benchmarks training_xlsx``.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import secrets
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from benchmarks import _training_data as data
from benchmarks.training import TARGET_ROWS, _csv_file, _engine
from ig.auth.rules import SYSTEM
from ig.crypto import KeyRing, install_keyring, new_key_material
from ig.db import Database
from ig.features import load_policies
from ig.training.import_check import check_import
from ig.training.imports import apply_import, create_import
from ig.training.models import ImportKind

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    "</Types>",
    "_rels/.rels": f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
    f'Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets>'
    '<sheet name="Export" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{DOC}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{DOC}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>",
    "xl/styles.xml": f'<styleSheet xmlns="{MAIN}"><cellXfs count="2"><xf numFmtId="0"/>'
    '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
}


def _workbook(csv_path: Path, path: Path) -> None:
    """The CSV's rows as a workbook: text in shared strings, dates as serial numbers."""
    strings: dict[str, int] = {}
    rows = []
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        cells = []
        for column, value in zip("ABC", line.split(","), strict=True):
            if number > 1 and column == "C":
                day = dt.datetime.strptime(value, "%d/%m/%Y").date()  # noqa: DTZ007
                serial = (day - dt.date(1899, 12, 30)).days
                cells.append(f'<c r="C{number}" s="1"><v>{serial}</v></c>')
            else:
                index = strings.setdefault(value, len(strings))
                cells.append(f'<c r="{column}{number}" t="s"><v>{index}</v></c>')
        rows.append(f'<row r="{number}">{"".join(cells)}</row>')
    shared = "".join(f"<si><t>{text}</t></si>" for text in strings)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, content in PARTS.items():
            book.writestr(name, content)
        book.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{shared}</sst>')
        book.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(rows)}</sheetData></worksheet>',
        )


def _import(database: Database, policies: Any, path: Path) -> dict[str, float]:
    start = time.perf_counter()
    with database.session_scope() as session:
        job = create_import(session, SYSTEM, ImportKind.COMPLETIONS, path.read_bytes(), path.name)
        check_import(session, job, policies.training, data.TODAY)
        checked = time.perf_counter()
        assert job.rows_rejected == 0, job.message
        apply_import(session, SYSTEM, job, policies.training, data.TODAY)
        added = job.rows_added
    end = time.perf_counter()
    return {"rows_per_s": added / (end - start), "seconds": end - start, "check_s": checked - start}


def bench(url: str, rows: int) -> None:
    install_keyring(KeyRing.from_material({**new_key_material("bench"), "source": "bench"}))
    policies = load_policies(data.policies_dir())
    engine = _engine(url)
    data.build(engine, list(policies.training.courses))
    database = Database(engine)
    folder = Path(tempfile.mkdtemp(prefix="ig-bench-xlsx-"))
    print(f"-- {engine.dialect.name}: {rows:,} completions")
    for offset, kind in ((3, "csv"), (4, "xlsx")):
        csv_path = folder / f"completions-{secrets.token_hex(4)}.csv"
        _csv_file(csv_path, rows, offset=offset)
        path = csv_path
        if kind == "xlsx":
            path = csv_path.with_suffix(".xlsx")
            _workbook(csv_path, path)
        size = path.stat().st_size / 2**20
        result = _import(database, policies, path)
        verdict = "meets" if result["rows_per_s"] >= TARGET_ROWS else "MISSES"
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"   {kind:<5} {result['rows_per_s']:8.0f} rows/s ({result['seconds']:.1f} s, of which "
            f"checking {result['check_s']:.1f} s; {size:.1f} MB file) "
            f"({verdict} {TARGET_ROWS:.0f} rows/s); peak resident memory so far {peak:.0f} MiB"
        )
    engine.dispose()


def run(args: list[str]) -> None:
    rows = 20_000 if "--quick" in args else 100_000
    urls = [f"sqlite:///{tempfile.mkdtemp(prefix='ig-bench-db-')}/bench.sqlite3"]
    if os.environ.get("IG_BENCH_POSTGRES_URL"):
        urls.append(os.environ["IG_BENCH_POSTGRES_URL"])
    for url in urls:
        bench(url, rows)


if __name__ == "__main__":
    run([])
