"""Idempotency-Key for the API's POSTs: a repeated or concurrent request gets the first answer.

The key is claimed by inserting a row, unique per user, and committing it before the
view runs. A second request with the same key then fails to insert (on PostgreSQL it
waits for the first's commit), and polls until the first has stored its answer, which
it replays: same status, same body. A key sent with a different request is a 422; one
still in progress after WAIT_SECONDS is a 409 with Retry-After. A request that fails
(an exception or a 5xx) releases its key, so the client may try again; so does one
whose worker died, once its claim is ABANDONED_AFTER old.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, current_app, request
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ig.api.body import raw_body
from ig.api.models import IdempotencyKey
from ig.api.problems import refuse
from ig.auth.access import current_actor
from ig.db import get_session, utcnow
from ig.errors import problem

HEADER = "Idempotency-Key"
LIFETIME = dt.timedelta(hours=24)
WAIT_SECONDS = 10.0
# A claim still pending after this long belongs to a request that died (a worker killed
# between claim and answer): it is forgotten, so the key does not stay stuck for a day.
ABANDONED_AFTER = dt.timedelta(minutes=5)
POLL_SECONDS = 0.05
KEY_PATTERN = r"^[!-~]{1,255}$"
PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "pattern": KEY_PATTERN, "minLength": 1, "maxLength": 255},
    "description": "a unique value per intended request (a UUID): a repeat within 24 hours "
    "creates nothing new and gets the first answer again",
}


def fingerprint() -> str:
    """What makes two requests the same: method, path and query, and the body's bytes."""
    digest = hashlib.sha256(f"{request.method} {request.full_path}\n".encode())
    digest.update(raw_body())
    return digest.hexdigest()


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a POST view so that an Idempotency-Key makes it run at most once per key."""

    @wraps(view)
    def run(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not re.match(KEY_PATTERN, key):
            refuse(400, "Invalid Idempotency-Key", "Send 1 to 255 visible ASCII characters")
        session = get_session()
        claimed = claim(session, current_actor().user_id, key, fingerprint(), utcnow())
        if isinstance(claimed, Response):
            return claimed
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except BaseException:
            release(session, claimed)
            raise
        if response.status_code >= 500:
            release(session, claimed)
        else:
            complete(session, claimed, response)
        return response

    return run


def claim(
    session: Session, user_id: int | None, key: str, print_: str, now: dt.datetime
) -> int | Response:
    """The id of the row claiming ``key``, or the answer to give instead (replay, 409, 422)."""
    if user_id is None:
        refuse(403, "Idempotency-Key needs a user", "Only a user's token may send one")
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        claimed = _insert(session, user_id, key, print_, now)
        if claimed is not None:
            return claimed
        row = session.scalar(
            select(IdempotencyKey).where(
                IdempotencyKey.user_id == user_id, IdempotencyKey.key == key
            )
        )
        if row is not None and row.fingerprint != print_:
            return problem(
                422,
                "Idempotency-Key reused",
                "This Idempotency-Key was sent with a different request; use a new key",
            )
        if row is not None and row.status_code is not None:
            return replay(row)
        if row is not None and row.created_at < now - ABANDONED_AFTER:
            session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == row.id))
            session.commit()
            continue
        session.rollback()  # end the read so the next look sees the other request's commit
        if row is not None and time.monotonic() > deadline:
            answer = problem(409, "Request in progress", "A request with this key is running")
            answer.headers["Retry-After"] = "1"
            return answer
        time.sleep(POLL_SECONDS if row is not None else 0)


def _insert(session: Session, user_id: int, key: str, print_: str, now: dt.datetime) -> int | None:
    """Claim ``key`` and commit the claim; None when another request holds it."""
    session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at < now))
    row = IdempotencyKey(
        user_id=user_id, key=key, fingerprint=print_, created_at=now, expires_at=now + LIFETIME
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None
    session.commit()
    return row.id


def complete(session: Session, row_id: int, response: Response) -> None:
    """Store the answer to replay, and commit it."""
    row = session.get(IdempotencyKey, row_id)
    if row is None:  # released meanwhile, as by an expiry purge: nothing to replay
        return
    row.status_code = response.status_code
    row.content_type = response.content_type
    row.location = response.headers.get("Location")
    row.response_body = response.get_data(as_text=True)
    session.commit()


def release(session: Session, row_id: int) -> None:
    """Give the key up after a failure, so that the client may retry it."""
    session.rollback()
    session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == row_id))
    session.commit()


def replay(row: IdempotencyKey) -> Response:
    response = Response(row.response_body, status=row.status_code, content_type=row.content_type)
    if row.location:
        response.headers["Location"] = row.location
    response.headers["Idempotent-Replayed"] = "true"
    return response
