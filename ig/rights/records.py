"""Reading a request's clock and its requester's earlier requests (shared by the services
and the pages)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ig.crypto import get_keyring
from ig.errors import NotFound
from ig.rights.clock import Deadline, Extension, Pause, deadline
from ig.rights.models import RightsRequest
from ig.rights.policy import RightsPolicy

IDENTIFIER_CONTEXT = "rights_requests.requester_identifier"
CONTACT_CONTEXT = "rights_requests.requester_contact"


def blind_index(value: str, context: str) -> str | None:
    """The blind index of ``value`` (None when it is empty): matches ignore case and spacing."""
    return get_keyring().blind_index(value, context) if value.strip() else None


def get_request(session: Session, request_id: int) -> RightsRequest:
    """The request; NotFound if there is none with that id."""
    item = session.get(RightsRequest, request_id)
    if item is None:
        raise NotFound("There is no information rights request with that reference")
    return item


def extension_of(item: RightsRequest) -> Extension | None:
    if item.extension_told_on is None:
        return None
    return Extension(item.extension_told_on, item.extension_months, item.extension_days)


def clock_of(item: RightsRequest, policy: RightsPolicy, today: dt.date) -> Deadline:
    """The request's clock as it stands ``today``: pauses and extension counted."""
    pauses = [Pause(p.started_on, p.ended_on) for p in item.pauses]
    return deadline(
        policy.type(item.type_key),
        item.received_on,
        today,
        pauses,
        extension_of(item),
        policy.proclaimed,
    )


def sortable_due_on(item: RightsRequest, policy: RightsPolicy) -> dt.date:
    """The deadline stored for sorting: an open pause counted as if it ended the day it
    started (its running days are added on each page from the live clock)."""
    stopped = [p.started_on for p in item.pauses if p.ended_on is None]
    today = stopped[0] if stopped else item.received_on
    return clock_of(item, policy, today).due_on


def list_earlier_requests(session: Session, item: RightsRequest) -> list[RightsRequest]:
    """Other requests with the same identifier or contact details (blind index)."""
    matches = [
        column == value
        for column, value in (
            (RightsRequest.identifier_index, item.identifier_index),
            (RightsRequest.contact_index, item.contact_index),
        )
        if value is not None
    ]
    if not matches:
        return []
    query = (
        select(RightsRequest)
        .where(or_(*matches), RightsRequest.id != item.id)
        .order_by(RightsRequest.received_on.desc(), RightsRequest.id.desc())
    )
    return list(session.scalars(query))
