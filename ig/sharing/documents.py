"""Signed agreements as PDFs: checked by content, stored outside the web root."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from pathlib import Path

from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.errors import NotFound, ValidationFailed
from ig.sharing.models import Agreement, AgreementDocument
from ig.sharing.rules import check_pdf

SUBFOLDER = "sharing"


def _folder(upload_dir: Path) -> Path:
    folder = upload_dir / SUBFOLDER
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def store_document(
    session: Session,
    actor: Actor,
    upload_dir: Path,
    agreement: Agreement,
    filename: str,
    data: bytes,
    max_bytes: int,
    now: dt.datetime,
) -> AgreementDocument:
    """Check the upload is a PDF within the size limit and keep it under a random name.

    The name the user gave is kept for display only and never touches the file system.
    Raises ValidationFailed("document", ...) saying what is wrong.
    """
    check_pdf(data, max_bytes)
    name = Path(filename.replace("\\", "/")).name.strip()[:255] or "agreement.pdf"
    if not name.lower().endswith(".pdf"):
        name = f"{name[:250]}.pdf"
    stored = secrets.token_hex(16)
    (_folder(upload_dir) / stored).write_bytes(data)
    document = AgreementDocument(
        agreement_id=agreement.id,
        original_name=name,
        stored_name=stored,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_at=now,
        uploaded_by_id=actor.user_id,
    )
    session.add(document)
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
    session: Session, actor: Actor, upload_dir: Path, document_id: int
) -> tuple[AgreementDocument, bytes]:
    """The document and its bytes, verified against the digest taken at upload; audited."""
    document = session.get(AgreementDocument, document_id)
    if document is None:
        raise NotFound("There is no such document")
    path = _folder(upload_dir) / document.stored_name
    if not path.is_file():
        raise NotFound("The document's file is missing: ask the IG team to upload it again")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise ValidationFailed("document", "The stored file has changed since it was uploaded")
    record(
        session,
        actor,
        "agreement.document_downloaded",
        "agreement",
        document.agreement_id,
        {"document_id": document.id},
    )
    return document, data
