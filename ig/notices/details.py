"""Changing a notice's details (title, owner, address, audience, processing).

The text itself changes only through a review, so that every version is kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.models import User
from ig.auth.rules import Actor
from ig.errors import EditConflict, PermissionDenied, ValidationFailed
from ig.notices.models import Audience, PrivacyNotice
from ig.notices.service import get_notice

FIELDS = ("title", "owner_user_id", "published_url", "audience", "processing")


@dataclass(frozen=True)
class NoticeDetails:
    title: str
    owner_user_id: int
    published_url: str
    audience: Audience
    processing: str


def update_notice(
    session: Session,
    actor: Actor,
    notice_id: int,
    details: NoticeDetails,
    expected_version: int,
    now: dt.datetime,
) -> PrivacyNotice:
    """Change the details; the audit entry names the fields changed (not their values).

    Raises NotFound, PermissionDenied (without notices.manage), EditConflict when someone
    else saved first, ValidationFailed on a bad field.
    """
    if not actor.can("notices.manage"):
        raise PermissionDenied("Only the IG team can change a notice's details")
    notice = get_notice(session, notice_id)
    if notice.version != expected_version:
        raise EditConflict()
    if not details.title.strip():
        raise ValidationFailed("title", "Enter the notice's title")
    if session.get(User, details.owner_user_id) is None:
        raise ValidationFailed("owner_user_id", "Select the notice's owner")
    if not details.published_url.strip().startswith(("https://", "http://")):
        raise ValidationFailed(
            "published_url", "Enter the address where the notice is published, like https://..."
        )
    cleaned = {
        "title": details.title.strip(),
        "owner_user_id": details.owner_user_id,
        "published_url": details.published_url.strip(),
        "audience": details.audience,
        "processing": details.processing.strip(),
    }
    changed = [name for name in FIELDS if getattr(notice, name) != cleaned[name]]
    for name in changed:
        setattr(notice, name, cleaned[name])
    session.flush()
    if changed:
        record(
            session,
            actor,
            "notice.updated",
            "privacy_notice",
            notice.id,
            {"fields": changed},
            at=now,
        )
    return notice
