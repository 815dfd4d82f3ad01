"""The privacy-notice register as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from ig.notices.models import PrivacyNotice
from ig.notices.policy import NoticesPolicy
from ig.notices.rules import REVIEW_STATE_LABELS, review_state

HEADER = [
    "id",
    "title",
    "service",
    "owner",
    "audience",
    "published at",
    "current version",
    "effective from",
    "approved by",
    "last reviewed",
    "next review due",
    "review state",
    "flagged for review",
]
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell's text, with a leading quote when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def notices_csv(notices: Iterable[PrivacyNotice], policy: NoticesPolicy, today: dt.date) -> str:
    """One row per notice, in the order given."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for notice in notices:
        state = review_state(
            notice.next_review_on, today, policy.due_soon_days, notice.review_flagged_at is not None
        )
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    notice.id,
                    notice.title,
                    policy.service_label(notice.service_key),
                    notice.owner.name,
                    notice.audience.value,
                    notice.published_url,
                    notice.current_version,
                    notice.effective_on.isoformat(),
                    notice.approved_by,
                    notice.last_reviewed_on.isoformat() if notice.last_reviewed_on else "",
                    notice.next_review_on.isoformat(),
                    REVIEW_STATE_LABELS[state],
                    notice.review_flag_reason if notice.review_flagged_at else "",
                )
            ]
        )
    return out.getvalue()
