"""Turning forms into service inputs and notices into ready-to-show rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ig.notices.forms import NoticeFilterForm, ReviewForm
from ig.notices.models import PrivacyNotice, ReviewOutcome
from ig.notices.policy import NoticesPolicy
from ig.notices.register import NoticeFilter
from ig.notices.rules import REVIEW_STATE_LABELS, ReviewState, review_state
from ig.notices.service import ReviewInput

STATE_TAGS = {
    ReviewState.UP_TO_DATE: "govuk-tag--green",
    ReviewState.DUE_SOON: "govuk-tag--yellow",
    ReviewState.OVERDUE: "govuk-tag--red",
}


@dataclass(frozen=True)
class NoticeRow:
    notice: PrivacyNotice
    service: str
    state_label: str
    state_tag: str
    is_flagged: bool


def filters_from(form: NoticeFilterForm, policy: NoticesPolicy) -> NoticeFilter:
    """The filter the form asks for, but for its owner (a picker the view reads); choices
    are set first so bad values are ignored."""
    form.service.choices = {"": "Any", **policy.services}
    if not form.validate():
        return NoticeFilter()
    return NoticeFilter(
        service_key=form.service.data or None,
        state=ReviewState(form.state.data) if form.state.data else None,
        effective_by=form.effective_by.data,
        reviewed=form.reviewed.data or None,
        reviewed_from=form.reviewed_from.data,
        reviewed_to=form.reviewed_to.data,
        overdue_on=form.overdue_on.data,
        sort=form.sort.data or "next_review",
    )


def notice_rows(
    notices: Iterable[PrivacyNotice], policy: NoticesPolicy, today: dt.date
) -> list[NoticeRow]:
    rows = []
    for notice in notices:
        flagged = notice.review_flagged_at is not None
        state = review_state(notice.next_review_on, today, policy.due_soon_days, flagged)
        rows.append(
            NoticeRow(
                notice,
                policy.service_label(notice.service_key),
                REVIEW_STATE_LABELS[state],
                STATE_TAGS[state],
                flagged,
            )
        )
    return rows


def review_input(form: ReviewForm) -> ReviewInput:
    return ReviewInput(
        reviewed_on=form.reviewed_on.data,
        outcome=ReviewOutcome(form.outcome.data),
        summary=form.summary.data or "",
        text=form.text.data or "",
        effective_on=form.effective_on.data,
        approved_by=form.approved_by.data or "",
    )
