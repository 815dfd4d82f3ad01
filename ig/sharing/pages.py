"""What the sharing views share: the policy, refusals on forms, the Caldicott hand-over."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import current_app, url_for
from flask_wtf import FlaskForm

from ig.auth.rules import Actor
from ig.errors import ValidationFailed
from ig.notices.policy import NoticesPolicy
from ig.sharing.check import SharingCheck
from ig.sharing.policy import SharingPolicy
from ig.sharing.rules import ShareAnswer


def policy() -> SharingPolicy:
    return current_app.extensions["ig.policies"].sharing  # type: ignore[no-any-return]


def notices_policy() -> NoticesPolicy:
    """The notices policy: its services are the ones an agreement can be tied to."""
    return current_app.extensions["ig.policies"].notices  # type: ignore[no-any-return]


def attach(form: FlaskForm, error: ValidationFailed) -> None:
    """Show a service's refusal beside the field it names (or the first field)."""
    field: Any = getattr(form, error.field, None)
    if field is None:
        field = next(iter(form))
    field.errors = (
        [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]
    )


def read_upload(storage: Any, limit: int) -> bytes:
    """At most ``limit`` bytes of an uploaded file, closing its spooled temporary file."""
    try:
        return storage.read(limit)  # type: ignore[no-any-return]
    finally:
        storage.close()


def caldicott_link(result: SharingCheck, actor: Actor) -> str | None:
    """The Caldicott request form, filled in from an answer that was not "yes"; None
    when the answer is "yes" or the actor may not raise a request.

    For individual care it records the decision to share (Caldicott Principle 7);
    otherwise it asks the Guardian about a new data flow. The caldicott feature reads
    these query parameters (organisation id, purpose text, category keys, type).
    """
    if result.answer is ShareAnswer.YES or not actor.can("caldicott.request"):
        return None
    labels = policy()
    category = labels.label("categories", result.category).lower()
    purpose = labels.label("purposes", result.purpose)
    sharing = f"{purpose}: sharing {category} with {result.organisation.name}"
    if result.answer is ShareAnswer.CHECK_FOR_CARE:
        text = (
            f"{sharing} for the care of one person, which no agreement in force covers "
            "(Caldicott Principle 7). Record what was shared, with whom, when and why."
        )
        kind = "other"
    else:
        text = f"{sharing}, which no agreement in force covers."
        kind = "new_data_flow"
    args: dict[str, Any] = {
        "organisation": result.organisation.id,
        "purpose": text,
        "categories": result.category,
        "type": kind,
    }
    if "caldicott.new_request" in current_app.view_functions:
        return url_for("caldicott.new_request", **args)
    return f"/caldicott/requests/new?{urlencode(args)}"
