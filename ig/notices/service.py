"""Privacy notices: record one, review it (with a new version when the text changes),
list and export them, and flag them for review when a service's sharing changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from ig.audit.service import record
from ig.auth.models import User
from ig.auth.rules import Actor
from ig.db import utcnow
from ig.errors import EditConflict, NotFound, PermissionDenied, ValidationFailed
from ig.notices import rules
from ig.notices.models import Audience, NoticeReview, NoticeVersion, PrivacyNotice, ReviewOutcome
from ig.notices.policy import NoticesPolicy

# Used when a caller (the sharing register) flags notices without passing the policy.
DEFAULT_FLAGGED_REVIEW_DAYS = 30


@dataclass(frozen=True)
class NoticeInput:
    """What is recorded about a notice when it is first entered."""

    title: str
    service_key: str
    owner_user_id: int
    published_url: str
    audience: Audience
    processing: str
    text: str
    effective_on: dt.date
    approved_by: str


@dataclass(frozen=True)
class ReviewInput:
    """A review: the outcome, and for an update the new version's text and approval."""

    reviewed_on: dt.date
    outcome: ReviewOutcome
    summary: str
    text: str = ""
    effective_on: dt.date | None = None
    approved_by: str = ""


def create_notice(
    session: Session, actor: Actor, policy: NoticesPolicy, data: NoticeInput, now: dt.datetime
) -> PrivacyNotice:
    """Record a notice and its first version; its first review falls one interval on.

    Raises PermissionDenied without notices.manage, ValidationFailed on a bad field.
    """
    if not actor.can("notices.manage"):
        raise PermissionDenied("Only the IG team can add privacy notices")
    _check_input(session, policy, data)
    notice = PrivacyNotice(
        title=data.title.strip(),
        service_key=data.service_key,
        owner_user_id=data.owner_user_id,
        published_url=data.published_url.strip(),
        audience=data.audience,
        processing=data.processing.strip(),
        current_version=1,
        effective_on=data.effective_on,
        approved_by=data.approved_by.strip(),
        review_interval_months=policy.review_interval_months,
        next_review_on=rules.next_review_on(data.effective_on, policy.review_interval_months),
    )
    session.add(notice)
    session.flush()
    _add_version(session, actor, notice, 1, data.text, data.effective_on, data.approved_by, "", now)
    record(
        session,
        actor,
        "notice.created",
        "privacy_notice",
        notice.id,
        {"service": notice.service_key, "policy_version": policy.version},
        at=now,
    )
    return notice


def _check_input(session: Session, policy: NoticesPolicy, data: NoticeInput) -> None:
    if not data.title.strip():
        raise ValidationFailed("title", "Enter the notice's title")
    if data.service_key not in policy.services:
        raise ValidationFailed("service_key", "Select the service the notice covers")
    if session.get(User, data.owner_user_id) is None:
        raise ValidationFailed("owner_user_id", "Select the notice's owner")
    if not data.published_url.strip().startswith(("https://", "http://")):
        raise ValidationFailed(
            "published_url", "Enter the address where the notice is published, like https://..."
        )
    if not data.text.strip():
        raise ValidationFailed("text", "Enter the notice's text, or paste a snapshot of it")
    if not data.approved_by.strip():
        raise ValidationFailed("approved_by", "Enter who approved the notice")


def _add_version(
    session: Session,
    actor: Actor,
    notice: PrivacyNotice,
    number: int,
    text: str,
    effective_on: dt.date,
    approved_by: str,
    summary: str,
    now: dt.datetime,
) -> None:
    session.add(
        NoticeVersion(
            notice_id=notice.id,
            number=number,
            text=text.strip(),
            effective_on=effective_on,
            approved_by=approved_by.strip(),
            change_summary=summary.strip(),
            recorded_at=now,
            recorded_by=actor.label,
        )
    )


def can_review(actor: Actor, notice: PrivacyNotice) -> bool:
    """The IG team, or the notice's own owner, may review it."""
    return actor.can("notices.manage") or (
        actor.user_id is not None and actor.user_id == notice.owner_user_id
    )


def review_notice(
    session: Session,
    actor: Actor,
    policy: NoticesPolicy,
    notice_id: int,
    review: ReviewInput,
    expected_version: int,
    now: dt.datetime,
) -> NoticeReview:
    """Record a review; an "updated" outcome adds the next version of the text.

    The next review falls one interval after this one, and any flag is cleared.
    Raises NotFound, PermissionDenied, EditConflict, ValidationFailed.
    """
    notice = get_notice(session, notice_id)
    if not can_review(actor, notice):
        raise PermissionDenied("Only the notice's owner or the IG team can review it")
    if notice.version != expected_version:
        raise EditConflict()
    _check_review(notice, review, now)
    if review.outcome is ReviewOutcome.UPDATED:
        _add_next_version(session, actor, notice, review, now)
    entry = _add_review(session, actor, notice, review, now)
    session.flush()
    session.expire(notice, ["versions", "reviews"])  # reload the history with the new rows
    record(
        session,
        actor,
        "notice.reviewed",
        "privacy_notice",
        notice.id,
        {
            "outcome": review.outcome.value,
            "version": notice.current_version,
            "policy_version": policy.version,
        },
        at=now,
    )
    return entry


def _add_next_version(
    session: Session, actor: Actor, notice: PrivacyNotice, review: ReviewInput, now: dt.datetime
) -> None:
    """Make the reviewed text the notice's next version (for an "updated" outcome)."""
    assert review.effective_on is not None  # _check_review guarantees it
    notice.current_version += 1
    notice.effective_on = review.effective_on
    notice.approved_by = review.approved_by.strip()
    _add_version(
        session,
        actor,
        notice,
        notice.current_version,
        review.text,
        review.effective_on,
        review.approved_by,
        review.summary,
        now,
    )


def _add_review(
    session: Session, actor: Actor, notice: PrivacyNotice, review: ReviewInput, now: dt.datetime
) -> NoticeReview:
    """Add the review's entry, set the next review one interval on and clear any flag."""
    entry = NoticeReview(
        notice_id=notice.id,
        reviewed_on=review.reviewed_on,
        reviewer_user_id=actor.user_id,
        reviewer_label=actor.label,
        outcome=review.outcome,
        summary=review.summary.strip(),
        version_number=notice.current_version,
        recorded_at=now,
    )
    session.add(entry)
    notice.last_reviewed_on = review.reviewed_on
    notice.next_review_on = rules.next_review_on(review.reviewed_on, notice.review_interval_months)
    notice.review_flagged_at, notice.review_flag_reason = None, ""
    return entry


def _check_review(notice: PrivacyNotice, review: ReviewInput, now: dt.datetime) -> None:
    if review.reviewed_on > now.date():
        raise ValidationFailed("reviewed_on", "The review date must be today or in the past")
    if notice.last_reviewed_on and review.reviewed_on < notice.last_reviewed_on:
        raise ValidationFailed("reviewed_on", "The review date must be after the last review")
    if review.outcome is ReviewOutcome.NO_CHANGE:
        return
    if not review.summary.strip():
        raise ValidationFailed("summary", "Summarise what changed in the new version")
    if not review.text.strip():
        raise ValidationFailed("text", "Enter the new version's text, or paste a snapshot of it")
    if review.effective_on is None:
        raise ValidationFailed("effective_on", "Enter the date the new version takes effect")
    if not review.approved_by.strip():
        raise ValidationFailed("approved_by", "Enter who approved the new version")


def get_notice(session: Session, notice_id: int) -> PrivacyNotice:
    """The notice with its versions and reviews; NotFound if there is none."""
    notice = session.scalar(
        select(PrivacyNotice)
        .where(PrivacyNotice.id == notice_id)
        .options(selectinload(PrivacyNotice.versions), selectinload(PrivacyNotice.reviews))
    )
    if notice is None:
        raise NotFound("There is no such privacy notice")
    return notice


def flag_notices_for_service(
    session: Session,
    actor: Actor,
    service_key: str,
    reason: str,
    *,
    now: dt.datetime | None = None,
    policy: NoticesPolicy | None = None,
) -> int:
    """Flag every live notice of ``service_key`` for review (a new sharing agreement).

    UK GDPR Art. 13(1)(e) and 14(1)(e): a notice must name the recipients of the data,
    so a new agreement may mean the notice is no longer accurate. The review is brought
    forward to within the policy's flagged_review_days. Returns how many were flagged.
    """
    now = now or utcnow()
    days = policy.flagged_review_days if policy else DEFAULT_FLAGGED_REVIEW_DAYS
    notices = session.scalars(
        select(PrivacyNotice).where(
            PrivacyNotice.service_key == service_key, PrivacyNotice.is_archived.is_(False)
        )
    ).all()
    for notice in notices:
        notice.review_flagged_at = now
        notice.review_flag_reason = reason.strip()[:300]
        notice.next_review_on = rules.flagged_review_on(notice.next_review_on, now.date(), days)
        record(
            session,
            actor,
            "notice.flagged_for_review",
            "privacy_notice",
            notice.id,
            {"service": service_key},
            at=now,
        )
    session.flush()
    return len(notices)


def review_due_query() -> Select:
    """Live notices with their next review date and owner (the reminder rule's source)."""
    return select(
        PrivacyNotice.id,
        PrivacyNotice.title,
        PrivacyNotice.next_review_on,
        PrivacyNotice.owner_user_id,
    ).where(PrivacyNotice.is_archived.is_(False))
