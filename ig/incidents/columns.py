"""The encrypted column shapes of the incident models: secrets, free text and case detail."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import mapped_column

from ig.encrypted import EncryptedText


def secret(column: str, what: str) -> Any:
    """An encrypted column that may be empty (NULL)."""
    return mapped_column(EncryptedText(column), comment=what)


def free_text(column: str, what: str, *, with_detail: bool = False) -> Any:
    """Free text that is never empty in SQL terms: "" when nothing was said, encrypted too.

    ``with_detail``: loaded with the case detail, only when a page reads it, so that the
    incident lists decrypt none of it (a list of actions shows their text, so keeps it).
    """
    return mapped_column(
        EncryptedText(column),
        nullable=False,
        default="",
        comment=what,
        deferred=with_detail,
        deferred_group="detail" if with_detail else None,
    )


def detail(column: str, what: str) -> Any:
    """Case detail, loaded (in one query) only when a page reads it: lists never decrypt it."""
    return mapped_column(
        EncryptedText(column), comment=what, deferred=True, deferred_group="detail"
    )
