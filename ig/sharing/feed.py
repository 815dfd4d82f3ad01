"""Sharing agreements and the partner register as read-only feeds."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ig.feature import Feed, FeedChanges, FeedColumn
from ig.people.models import Organisation
from ig.policies import Policies
from ig.sharing.models import Agreement

C = FeedColumn


def _agreements(_session: Session, _policies: Policies, _now: dt.datetime) -> Select:
    a = Agreement
    return select(
        a.id,
        a.reference,
        a.revision,
        a.title,
        a.owner_id,
        Organisation.name.label("owner"),
        a.lawful_basis,
        a.special_condition,
        a.statutory_gateway,
        a.is_special_category,
        a.dpia_reference,
        a.dpia_outcome,
        a.dpia_on,
        a.starts_on,
        a.review_on,
        a.ends_on,
        a.terminated_on,
        a.party_count,
        a.signed_count,
        a.supersedes_id,
        a.service_key,
    ).join(Organisation, Organisation.id == a.owner_id)


AGREEMENTS = Feed(
    "sharing_agreements",
    "Data-sharing agreements",
    "sharing.read",
    (
        C("id", "integer", "the agreement's number in ig"),
        C("reference", "string", "the agreement's reference"),
        C("revision", "integer", "its revision (a renewal is a new revision)"),
        C("title", "string", "its title"),
        C("owner_id", "integer", "the organisation that owns it"),
        C("owner", "string", "that organisation's name"),
        C("lawful_basis", "string", "the UK GDPR Art. 6 basis"),
        C("special_condition", "string", "the Art. 9 condition, for special-category data"),
        C("statutory_gateway", "string", "the statutory gateway relied on"),
        C("is_special_category", "boolean", "special-category data is shared"),
        C("dpia_reference", "string", "the DPIA's reference"),
        C("dpia_outcome", "string", "the DPIA's outcome"),
        C("dpia_on", "date", "when the DPIA was done"),
        C("starts_on", "date", "when it starts"),
        C("review_on", "date", "when it is to be reviewed"),
        C("ends_on", "date", "when it ends"),
        C("terminated_on", "date", "when it was terminated"),
        C("party_count", "integer", "how many parties"),
        C("signed_count", "integer", "how many parties have signed"),
        C("supersedes_id", "integer", "the revision it replaces"),
        C("service_key", "string", "the service whose privacy notice it touches"),
    ),
    _agreements,
    FeedChanges(record_type="agreement", ignored=("agreement.document_downloaded",)),
)


def _organisations(_session: Session, _policies: Policies, _now: dt.datetime) -> Select:
    o = Organisation
    return select(
        o.id, o.name, o.kind, o.code, o.assurance_status, o.assurance_on, o.is_self, o.updated_at
    )


ORGANISATIONS = Feed(
    "organisations",
    "Partner organisations",
    "sharing.read",
    (
        C("id", "integer", "the organisation's number in ig"),
        C("name", "string", "its name"),
        C("kind", "string", "local_authority, nhs_trust, provider, police, ..."),
        C("code", "string", "its ONS GSS or NHS ODS code"),
        C("assurance_status", "string", "its assurance status (DSPT or similar)"),
        C("assurance_on", "date", "when that was last checked"),
        C("is_self", "boolean", "this is the council itself"),
        C("updated_at", "datetime", "when it was added or last changed"),
    ),
    _organisations,
    # A loaded list adds many organisations under one audit entry: the row's own
    # time of change is exact where the trail is not.
    FeedChanges(column="updated_at"),
)
