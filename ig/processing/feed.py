"""The record of processing activities (UK GDPR Art. 30) as a read-only feed.

Purposes, recipients, transfers and security measures are encrypted and stay out.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ig.feature import Feed, FeedChanges, FeedColumn
from ig.policies import Policies
from ig.processing.models import ProcessingActivity

C = FeedColumn


def _activities(_session: Session, _policies: Policies, _now: dt.datetime) -> Select:
    p = ProcessingActivity
    return select(
        p.id,
        p.name,
        p.role,
        p.lawful_basis,
        p.has_special_category,
        p.art9_condition,
        p.schedule_1_condition,
        p.has_policy_document,
        p.safeguard,
        p.retention,
        p.relies_on_consent,
        p.is_automated,
        p.owner_user_id,
    )


ACTIVITIES = Feed(
    "processing_activities",
    "Processing activities",
    "processing.read",
    (
        C("id", "integer", "the activity's number in ig"),
        C("name", "string", "its name"),
        C("role", "string", "controller, joint controller or processor"),
        C("lawful_basis", "string", "the UK GDPR Art. 6 basis"),
        C("has_special_category", "boolean", "special-category data is processed"),
        C("art9_condition", "string", "the Art. 9 condition"),
        C("schedule_1_condition", "string", "the DPA 2018 Schedule 1 condition"),
        C("has_policy_document", "boolean", "an appropriate policy document is in place"),
        C("safeguard", "string", "the safeguard for transfers abroad"),
        C("retention", "string", "how long the data is kept"),
        C("relies_on_consent", "boolean", "it relies on consent"),
        C("is_automated", "boolean", "it makes automated decisions"),
        C("owner_user_id", "integer", "the user who owns it"),
    ),
    _activities,
    FeedChanges(record_type="processing_activity", ignored=("processing.exported",)),
)
