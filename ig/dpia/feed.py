"""The DPIA register (UK GDPR Art. 35) as a read-only feed (no encrypted field)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ig.dpia.models import Dpia
from ig.feature import Feed, FeedChanges, FeedColumn
from ig.policies import Policies

C = FeedColumn


def _dpias(_session: Session, _policies: Policies, _now: dt.datetime) -> Select:
    d = Dpia
    return select(
        d.id,
        d.title,
        d.owner_user_id,
        d.status,
        d.is_dpia_required,
        d.screened_at,
        d.max_residual_score,
        d.dpo_advice_on,
        d.is_dpo_advice_followed,
        d.ico_decision,
        d.ico_consulted_on,
        d.signed_off_at,
        d.review_on,
        d.last_reviewed_on,
    )


DPIAS = Feed(
    "dpias",
    "Data protection impact assessments",
    "dpia.read",
    (
        C("id", "integer", "the DPIA's number in ig"),
        C("title", "string", "its title"),
        C("owner_user_id", "integer", "the user who owns it"),
        C("status", "string", "draft, screened, in_assessment, awaiting_sign_off, signed_off"),
        C("is_dpia_required", "boolean", "screening found a DPIA is required"),
        C("screened_at", "datetime", "when it was screened"),
        C("max_residual_score", "integer", "the highest residual risk score"),
        C("dpo_advice_on", "date", "when the DPO advised"),
        C("is_dpo_advice_followed", "boolean", "the DPO's advice was followed"),
        C("ico_decision", "string", "whether the ICO was consulted (Art. 36)"),
        C("ico_consulted_on", "date", "when the ICO was consulted"),
        C("signed_off_at", "datetime", "when it was signed off"),
        C("review_on", "date", "when it is to be reviewed"),
        C("last_reviewed_on", "date", "when it was last reviewed"),
    ),
    _dpias,
    FeedChanges(record_type="dpia", ignored=("dpia.detail_viewed",)),
)
