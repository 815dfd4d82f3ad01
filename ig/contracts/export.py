"""The processor contract register as CSV, safe to open in a spreadsheet.

The encrypted notes stay out of the file: a spreadsheet on a shared drive is not encrypted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from ig.contracts.models import ProcessorContract
from ig.contracts.policy import ContractsPolicy
from ig.contracts.presenter import contract_rows

HEADER = [
    "id",
    "title",
    "reference",
    "processor",
    "owner",
    "start",
    "end",
    "value",
    "end state",
    "missing Art. 28(3) terms",
    "sub-processors",
]
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell's text, with a leading quote when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def contracts_csv(
    contracts: Iterable[ProcessorContract], policy: ContractsPolicy, today: dt.date
) -> str:
    """One row per contract, in the order given."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in contract_rows(contracts, policy, today):
        c = row.contract
        values = (
            c.id,
            c.title,
            c.reference,
            c.processor.name,
            c.owner.name,
            c.start_on.isoformat(),
            c.end_on.isoformat(),
            row.value_band,
            row.end_label,
            "; ".join(row.missing),
            "; ".join(s.name for s in c.subprocessors),
        )
        writer.writerow([safe_cell(value) for value in values])
    return out.getvalue()
