"""The information rights register as CSV, for figures: the clock of each request and
its outcome, without the requester (no personal data leaves in the file)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from ig.csv_cells import safe_cell
from ig.rights.models import RightsRequest
from ig.rights.policy import RightsPolicy
from ig.rights.presenter import rows_of

HEADER = [
    "reference",
    "kind",
    "received by",
    "received on",
    "deadline",
    "days left",
    "days paused",
    "extended",
    "state",
    "response sent on",
    "answered on time",
    "policy version",
]


def _on_time(item: RightsRequest, due_on: dt.date) -> str:
    if item.response_sent_on is None:
        return ""
    return "yes" if item.response_sent_on <= due_on else "no"


def requests_csv(items: Iterable[RightsRequest], policy: RightsPolicy, today: dt.date) -> str:
    """One row per request, in the order given; dates in ISO form for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows_of(list(items), policy, today):
        item, clock = row.item, row.clock
        values = (
            item.reference,
            row.type_label,
            row.channel,
            item.received_on.isoformat(),
            clock.due_on.isoformat(),
            "" if item.response_sent_on else clock.days_left(today),
            clock.paused_days,
            "yes" if clock.is_extended else "no",
            row.state,
            item.response_sent_on.isoformat() if item.response_sent_on else "",
            _on_time(item, clock.due_on),
            item.policy_version,
        )
        writer.writerow([safe_cell(value) for value in values])
    return out.getvalue()
