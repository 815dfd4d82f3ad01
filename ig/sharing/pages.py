"""What the sharing views share: the policy, today's date, and showing refusals on forms."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_wtf import FlaskForm

from ig.errors import ValidationFailed
from ig.notices.policy import NoticesPolicy
from ig.sharing.policy import SharingPolicy


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


def upload_dir() -> Any:
    return current_app.extensions["ig.settings"].upload_dir


def read_upload(storage: Any, limit: int) -> bytes:
    """At most ``limit`` bytes of an uploaded file, closing its spooled temporary file."""
    try:
        return storage.read(limit)  # type: ignore[no-any-return]
    finally:
        storage.close()
