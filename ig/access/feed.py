"""Access to information systems as a read-only feed: who held which access, and when.

The reasons for asking, deciding and removing are encrypted and stay out.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ig.access.models import AccessRequest
from ig.feature import Feed, FeedChanges, FeedColumn
from ig.people.models import Staff, Team
from ig.policies import Policies

C = FeedColumn


def _grants(_session: Session, _policies: Policies, _now: dt.datetime) -> Select:
    r = AccessRequest
    return (
        select(
            r.id,
            r.asset_id,
            r.staff_id,
            Staff.team_id,
            Team.name.label("team"),
            r.level,
            r.status,
            r.requested_at,
            r.decided_at,
            r.granted_on,
            r.removed_on,
            r.recertify_by,
            r.recertified_on,
            r.removal_asked_on,
        )
        .join(Staff, Staff.id == r.staff_id)
        .join(Team, Team.id == Staff.team_id)
    )


GRANTS = Feed(
    "access_grants",
    "Access to information systems",
    "access.report",
    (
        C("id", "integer", "the request's number in ig"),
        C("asset_id", "integer", "the information asset whose system it is"),
        C("staff_id", "integer", "the member of staff's number in ig"),
        C("team_id", "integer", "their team now"),
        C("team", "string", "that team's name"),
        C("level", "string", "the level of access"),
        C("status", "string", "requested, approved, declined, granted, removed, ..."),
        C("requested_at", "datetime", "when it was asked for"),
        C("decided_at", "datetime", "when the line manager decided"),
        C("granted_on", "date", "when it was granted"),
        C("removed_on", "date", "when it was removed"),
        C("recertify_by", "date", "when it is next to be recertified"),
        C("recertified_on", "date", "when it was last recertified"),
        C("removal_asked_on", "date", "when its removal was asked for (a leaver)"),
    ),
    _grants,
    FeedChanges(record_type="access_request"),
)
