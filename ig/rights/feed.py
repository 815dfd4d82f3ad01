"""Information rights requests as a read-only feed: types, dates, clocks and outcomes.

Who asked, what they asked for and every other encrypted field stay out; the
request's number is its reference (IR-00042 is 42).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ig.feature import Feed, FeedChanges, FeedColumn
from ig.policies import Policies
from ig.rights.models import RightsPause, RightsRequest

C = FeedColumn


def _requests(_session: Session, _policies: Policies, _now: dt.datetime) -> Select:
    r = RightsRequest
    pauses = (
        select(func.count(RightsPause.id))
        .where(RightsPause.request_id == r.id)
        .correlate(r)
        .scalar_subquery()
    )
    return select(
        r.id,
        r.type_key,
        r.status,
        r.received_on,
        r.channel,
        r.due_on,
        r.logged_at,
        r.extension_told_on,
        r.extension_months,
        r.extension_days,
        r.outcome,
        r.response_sent_on,
        pauses.label("pause_count"),
        r.policy_version,
    )


REQUESTS = Feed(
    "rights_requests",
    "Information rights requests",
    "rights.read",
    (
        C("id", "integer", "the request's number: IR-00042 is 42"),
        C("type_key", "string", "the kind of request, as policies/rights.toml names it"),
        C("status", "string", "open, paused or closed"),
        C("received_on", "date", "when it was received"),
        C("channel", "string", "how it arrived"),
        C("due_on", "date", "when the answer is due, pauses and extension included"),
        C("logged_at", "datetime", "when it was logged in ig"),
        C("extension_told_on", "date", "when the requester was told of an extension"),
        C("extension_months", "integer", "months the deadline was extended by"),
        C("extension_days", "integer", "working days the deadline was extended by"),
        C("outcome", "string", "complete, partial, refused or withdrawn"),
        C("response_sent_on", "date", "when the answer was sent"),
        C("pause_count", "integer", "how many times the clock was paused"),
        C("policy_version", "string", "the rights policy version its deadline used"),
    ),
    _requests,
    # Reading the requester, a search task, or the registers searched for the requester
    # (rights.records_searched) changes no request.
    FeedChanges(
        record_type="rights_request",
        ignored=("rights.detail_viewed", "rights.task_viewed", "rights.records_searched"),
    ),
)
