"""The encrypted column shapes of the incident models: secrets, free text and case detail."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import mapped_column

from ig.encrypted import EncryptedText


def secret(column: str, what: str) -> Any:
    """An encrypted column that may be empty (NULL)."""
    return mapped_column(EncryptedText(column), comment=what)


def free_text(column: str, what: str) -> Any:
    """Free text that is never empty in SQL terms: "" when nothing was said, encrypted too,
    and like case detail loaded only when a page reads it."""
    return mapped_column(
        EncryptedText(column),
        nullable=False,
        default="",
        comment=what,
        deferred=True,
        deferred_group="detail",
    )


def detail(column: str, what: str) -> Any:
    """Case detail, loaded (in one query) only when a page reads it: lists never decrypt it."""
    return mapped_column(
        EncryptedText(column), comment=what, deferred=True, deferred_group="detail"
    )
