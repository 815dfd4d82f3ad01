"""The information asset register as CSV, safe to open in a spreadsheet.

The encrypted free text (description, location, security controls) stays out of the
file: a spreadsheet on a shared drive is not encrypted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from ig.assets.models import InformationAsset
from ig.assets.policy import AssetsPolicy
from ig.assets.rules import (
    CRITICALITY_LABELS,
    FORMAT_LABELS,
    HOSTING_LABELS,
    STATE_LABELS,
    confirmation_state,
)

HEADER = [
    "id",
    "name",
    "system",
    "owner",
    "administrator",
    "personal data",
    "special categories",
    "approximate records",
    "format",
    "hosting",
    "retention period",
    "retention rule",
    "criticality",
    "suppliers",
    "last confirmed",
    "next confirmation due",
    "confirmation state",
]
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell's text, with a leading quote when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _categories(asset: InformationAsset, policy: AssetsPolicy, special: bool) -> str:
    return "; ".join(
        policy.category_label(c.category) for c in asset.categories if c.is_special is special
    )


def assets_csv(assets: Iterable[InformationAsset], policy: AssetsPolicy, today: dt.date) -> str:
    """One row per asset, in the order given."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for a in assets:
        state = confirmation_state(a.next_confirmation_on, today, policy.due_soon_days)
        values = (
            a.id,
            a.name,
            a.system,
            a.owner.name,
            a.administrator.name,
            _categories(a, policy, False),
            _categories(a, policy, True),
            a.record_count,
            FORMAT_LABELS[a.asset_format],
            HOSTING_LABELS[a.hosting],
            a.retention_period,
            a.retention_rule,
            CRITICALITY_LABELS[a.criticality],
            "; ".join(s.name for s in a.suppliers),
            a.last_confirmed_on.isoformat() if a.last_confirmed_on else "",
            a.next_confirmation_on.isoformat(),
            STATE_LABELS[state],
        )
        writer.writerow([safe_cell(value) for value in values])
    return out.getvalue()
