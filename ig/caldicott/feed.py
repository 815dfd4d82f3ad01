"""The Caldicott decision log as a read-only feed: references, dates, outcomes, counts.

Who asked, about whom, and the Guardian's reasoning are encrypted and stay out. The
audit trail records each request's changes, its decisions' included, by reference.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ig.caldicott.models import CaldicottRequest
from ig.feature import Feed, FeedChanges, FeedColumn
from ig.policies import Policies

C = FeedColumn


def _decisions(_session: Session, _policies: Policies, _now: dt.datetime) -> Select:
    r = CaldicottRequest
    return select(
        r.id,
        r.reference,
        r.received_on,
        r.organisation_id,
        r.organisation_name,
        r.channel,
        r.request_type,
        r.urgency,
        r.people_count,
        r.includes_deceased,
        r.needed_by,
        r.status,
        r.outcome,
        r.decided_at,
        r.first_decided_on,
        r.days_to_decision,
        r.review_on,
        r.signed_number,
    )


DECISIONS = Feed(
    "caldicott_decisions",
    "Caldicott requests and decisions",
    "caldicott.read",
    (
        C("id", "integer", "the request's number in ig"),
        C("reference", "string", "the request's reference"),
        C("received_on", "date", "when the request was received"),
        C("organisation_id", "integer", "the requesting organisation, if on the register"),
        C("organisation_name", "string", "the requesting organisation's name"),
        C("channel", "string", "how the request arrived"),
        C("request_type", "string", "the kind of request"),
        C("urgency", "string", "how urgent it is"),
        C("people_count", "integer", "how many people's information it concerns"),
        C("includes_deceased", "boolean", "it concerns people who have died"),
        C("needed_by", "date", "when an answer is needed"),
        C("status", "string", "where the request stands"),
        C("outcome", "string", "approved, approved with conditions or declined"),
        C("decided_at", "datetime", "when the current decision was signed"),
        C("first_decided_on", "date", "when it was first decided"),
        C("days_to_decision", "integer", "days from receipt to the first decision"),
        C("review_on", "date", "when the decision is to be reviewed"),
        C("signed_number", "integer", "the number of the signed decision in force"),
    ),
    _decisions,
    FeedChanges(
        record_type="caldicott_request",
        key="reference",
        ignored=("caldicott.detail_viewed", "caldicott.identifier_searched"),
    ),
)
