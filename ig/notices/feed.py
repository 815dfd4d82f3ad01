"""The privacy-notice register as a read-only feed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ig.feature import Feed, FeedChanges, FeedColumn
from ig.notices.models import PrivacyNotice
from ig.policies import Policies

C = FeedColumn


def _notices(_session: Session, _policies: Policies, _now: dt.datetime) -> Select:
    n = PrivacyNotice
    return select(
        n.id,
        n.title,
        n.service_key,
        n.owner_user_id,
        n.published_url,
        n.audience,
        n.current_version,
        n.effective_on,
        n.review_interval_months,
        n.last_reviewed_on,
        n.next_review_on,
        n.review_flagged_at,
        n.is_archived,
    )


NOTICES = Feed(
    "privacy_notices",
    "Privacy notices",
    "notices.read",
    (
        C("id", "integer", "the notice's number in ig"),
        C("title", "string", "its title"),
        C("service_key", "string", "the service it covers, as policies/notices.toml names it"),
        C("owner_user_id", "integer", "the user who owns it"),
        C("published_url", "string", "where it is published"),
        C("audience", "string", "who it is written for"),
        C("current_version", "integer", "its current version"),
        C("effective_on", "date", "when that version took effect"),
        C("review_interval_months", "integer", "how often it is reviewed"),
        C("last_reviewed_on", "date", "when it was last reviewed"),
        C("next_review_on", "date", "when its next review is due"),
        C("review_flagged_at", "datetime", "when a change elsewhere flagged it for review"),
        C("is_archived", "boolean", "archived"),
    ),
    _notices,
    FeedChanges(record_type="privacy_notice"),
)
