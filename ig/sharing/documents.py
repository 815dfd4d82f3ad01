"""Signed agreements as PDFs: checked by content, kept encrypted in the database.

The bytes are in the database, not on one machine's disk, so that every app server
serves them and a backup of the database (with the keys) holds them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from pathlib import PurePosixPath

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.crypto import DecryptionError
from ig.errors import NotFound, ValidationFailed
from ig.sharing.models import Agreement, AgreementDocument, DocumentContent
from ig.sharing.rules import check_pdf

log = logging.getLogger(__name__)
ALTERED = "The stored file has changed since it was uploaded: ask the IG team to upload it again"


def _display_name(filename: str) -> str:
    """The name the user gave, without folders, ending in .pdf: for display only."""
    name = PurePosixPath(filename.replace("\\", "/")).name.strip()[:255] or "agreement.pdf"
    return name if name.lower().endswith(".pdf") else f"{name[:250]}.pdf"


def store_document(
    session: Session,
    actor: Actor,
    agreement: Agreement,
    filename: str,
    data: bytes,
    max_bytes: int,
    now: dt.datetime,
) -> AgreementDocument:
    """Check the upload is a PDF within the size limit and keep it, encrypted.

    The name the user gave is kept for display only. Raises ValidationFailed("document",
    ...) saying what is wrong.
    """
    check_pdf(data, max_bytes)
    document = AgreementDocument(
        agreement_id=agreement.id,
        original_name=_display_name(filename),
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_at=now,
        uploaded_by_id=actor.user_id,
    )
    session.add(document)
    session.flush()
    session.add(DocumentContent(document_id=document.id, data=data))
    session.flush()
    record(
        session,
        actor,
        "agreement.document_uploaded",
        "agreement",
        agreement.id,
        {"document_id": document.id, "sha256": document.sha256},
    )
    return document


def open_document(
    session: Session, actor: Actor, document_id: int
) -> tuple[AgreementDocument, bytes]:
    """The document and its bytes, verified against the digest taken at upload; audited.

    Raises NotFound, or ValidationFailed("document", ...) if the stored bytes were
    altered (they fail to decrypt, or no longer match the digest).
    """
    document = session.get(AgreementDocument, document_id)
    if document is None:
        raise NotFound("There is no such document")
    data = _verified_bytes(session, document)
    record(
        session,
        actor,
        "agreement.document_downloaded",
        "agreement",
        document.agreement_id,
        {"document_id": document.id},
    )
    return document, data


def _verified_bytes(session: Session, document: AgreementDocument) -> bytes:
    query = select(DocumentContent.data).where(DocumentContent.document_id == document.id)
    try:
        data = session.scalar(query)
    except DecryptionError:
        raise _altered(document) from None
    if data is None:
        raise NotFound("The document's file is missing: ask the IG team to upload it again")
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise _altered(document)
    return data


def _altered(document: AgreementDocument) -> ValidationFailed:
    log.warning("agreement document %s failed its integrity check", document.id)
    return ValidationFailed("document", ALTERED)
