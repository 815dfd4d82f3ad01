"""The FOI disclosure log: closed FOI and EIR responses the team chooses to publish, each
with a summary of the request and of the response written for the public. It never
holds or shows who asked; publishing and unpublishing are audited."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig import bounds
from ig.audit.service import Page
from ig.auth.rules import Actor
from ig.db import london_today
from ig.errors import InvalidTransition, PermissionDenied, ValidationFailed
from ig.rights.models import Outcome, RequestStatus, RightsRequest
from ig.rights.policy import Family, RightsPolicy
from ig.rights.records import get_request
from ig.rights.refusal_models import RightsDisclosure, RightsRefusal
from ig.rights.service import audit, check_text

PUBLISHABLE = (Family.FOI, Family.EIR)
TITLE = 200
LOG_PER_PAGE = 25


def _words(value: str) -> str:
    return " ".join(re.findall(r"\w+", value.casefold()))


def _names_the_requester(text: str, item: RightsRequest) -> bool:
    """Whether ``text`` holds the requester's name, identifier or contact details (whole
    words, ignoring case and punctuation); or a representative's name."""
    haystack = f" {_words(text)} "
    for value in (
        item.requester_name,
        item.requester_identifier,
        item.requester_contact,
        item.representative_name,
    ):
        needle = _words(value)
        if needle and f" {needle} " in haystack:
            return True
    return False


def find_disclosure(session: Session, request_id: int) -> RightsDisclosure | None:
    return session.get(RightsDisclosure, request_id)


def _team(actor: Actor) -> None:
    if not actor.can("rights.manage") or actor.user_id is None:
        raise PermissionDenied("Only the information rights team can publish to the disclosure log")


def _checked_texts(
    item: RightsRequest, title: str, request_summary: str, response_summary: str
) -> dict[str, str]:
    """The texts to publish, stripped; ValidationFailed if one is empty, too long or
    names the requester."""
    texts = {
        "title": check_text("title", title, TITLE, "Enter a title for the disclosure log"),
        "request_summary": check_text(
            "request_summary", request_summary, bounds.LONG_TEXT, "Enter what was asked for"
        ),
        "response_summary": check_text(
            "response_summary", response_summary, bounds.LONG_TEXT, "Enter what was released"
        ),
    }
    for field, text in texts.items():
        if _names_the_requester(text, item):
            raise ValidationFailed(
                field,
                "Remove the requester's name, identifier and contact details: the "
                "disclosure log is public",
            )
    return texts


def publish(
    session: Session,
    actor: Actor,
    policy: RightsPolicy,
    request_id: int,
    title: str,
    request_summary: str,
    response_summary: str,
    now: dt.datetime,
) -> RightsDisclosure:
    """Publish a closed FOI or EIR request's response to the disclosure log.

    Raises PermissionDenied, NotFound, InvalidTransition (not FOI or EIR, not closed,
    withdrawn, already published), ValidationFailed (title, request_summary,
    response_summary: empty, too long, or naming the requester).
    """
    _team(actor)
    item = get_request(session, request_id)
    request_type = policy.types.get(item.type_key)
    if request_type is None or request_type.family not in PUBLISHABLE:
        raise InvalidTransition("Only FOI and EIR responses can be published")
    if item.status is not RequestStatus.CLOSED or item.outcome is None:
        raise InvalidTransition("Record the response before publishing it")
    if item.outcome is Outcome.WITHDRAWN:
        raise InvalidTransition("A withdrawn request has no response to publish")
    if find_disclosure(session, item.id) is not None:
        raise InvalidTransition("This response is already on the disclosure log")
    texts = _checked_texts(item, title, request_summary, response_summary)
    disclosure = RightsDisclosure(
        request_id=item.id,
        published_on=london_today(now),
        published_at=now,
        published_by_user_id=actor.user_id,
        **texts,
    )
    session.add(disclosure)
    session.flush()
    audit(session, actor, "published", item, now, published_on=disclosure.published_on.isoformat())
    return disclosure


def unpublish(session: Session, actor: Actor, request_id: int, now: dt.datetime) -> None:
    """Take a response off the disclosure log (the audit trail keeps who and when).

    Raises PermissionDenied, NotFound, InvalidTransition (not published).
    """
    _team(actor)
    item = get_request(session, request_id)
    disclosure = find_disclosure(session, item.id)
    if disclosure is None:
        raise InvalidTransition("This response is not on the disclosure log")
    session.delete(disclosure)
    session.flush()
    audit(
        session,
        actor,
        "unpublished",
        item,
        now,
        was_published_on=disclosure.published_on.isoformat(),
    )


def list_log(session: Session, page: int | None = None, per_page: int = LOG_PER_PAGE) -> Page:
    """The disclosure log, the latest first: each row a disclosure with its request's kind
    and outcome and any refusal, read by column so that no requester's detail is loaded.
    One page of ``per_page`` rows, or every row when ``page`` is None (the CSV)."""
    query = (
        select(RightsDisclosure, RightsRequest.type_key, RightsRequest.outcome)
        .join(RightsRequest, RightsRequest.id == RightsDisclosure.request_id)
        .order_by(RightsDisclosure.published_on.desc(), RightsDisclosure.request_id.desc())
    )
    total = session.scalar(select(func.count()).select_from(RightsDisclosure)) or 0
    if page is not None:
        page = max(page, 1)
        query = query.limit(per_page).offset((page - 1) * per_page)
    entries = session.execute(query).all()
    ids = [entry[0].request_id for entry in entries]
    refusals = {
        r.request_id: r
        for r in session.scalars(select(RightsRefusal).where(RightsRefusal.request_id.in_(ids)))
    }
    rows = [(d, type_key, outcome, refusals.get(d.request_id)) for d, type_key, outcome in entries]
    return Page(rows, page or 1, per_page if page is not None else max(total, 1), total)
