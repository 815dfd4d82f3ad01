"""The file of an open import: read from the upload within a size limit, kept encrypted
in the database (so that any app server can check or apply it), read back verified
against the digest taken at upload, and dropped once the import is decided.
"""

from __future__ import annotations

import hashlib
import logging
from typing import BinaryIO

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ig.crypto import DecryptionError
from ig.errors import ValidationFailed
from ig.training.import_rows import FileRejected
from ig.training.models import ImportFile, TrainingImport

log = logging.getLogger(__name__)
# The whole file is held in memory while it is checked or applied (and, encrypted, while
# it is stored), so it is bounded: 100,000 rows of the HR export are about 15 MB.
MAX_BYTES = 32 * 1024 * 1024
BLOCK = 1 << 16
TOO_LARGE = (
    f"The file is larger than {MAX_BYTES // 2**20} MB: split it into smaller files "
    "and import each one"
)
GONE = "the uploaded file is no longer kept, as its import was decided: upload it again"
ALTERED = "the stored file has changed since it was uploaded: upload it again"


def read_upload(stream: BinaryIO) -> bytes:
    """The file's bytes, read in blocks; ValidationFailed("file", ...) if it is larger
    than MAX_BYTES (reading stops there)."""
    data = bytearray()
    while block := stream.read(min(BLOCK, MAX_BYTES + 1 - len(data))):
        data += block
        if len(data) > MAX_BYTES:
            raise ValidationFailed("file", TOO_LARGE)
    return bytes(data)


def store_file(session: Session, job: TrainingImport, data: bytes) -> None:
    """Keep ``data`` as the file of ``job`` (flushed), encrypted in its row."""
    content = ImportFile(import_id=job.id, data=data)
    session.add(content)
    session.flush()
    session.expunge(content)  # the caller holds the bytes; the session need not


def load_file(session: Session, job: TrainingImport) -> bytes:
    """The file of ``job``, as uploaded; FileRejected if it is no longer kept or was altered
    (it fails to decrypt, or no longer matches the digest taken at upload)."""
    try:
        data = session.scalar(select(ImportFile.data).where(ImportFile.import_id == job.id))
    except DecryptionError:
        raise _altered(job) from None
    if data is None:
        raise FileRejected(GONE)
    if hashlib.sha256(data).hexdigest() != job.file_hash:
        raise _altered(job)
    return data


def _altered(job: TrainingImport) -> FileRejected:
    log.warning("the file of training import %s failed its integrity check", job.id)
    return FileRejected(ALTERED)


def drop_file(session: Session, job: TrainingImport) -> None:
    """Forget the file of ``job``, which will not be read again."""
    session.execute(delete(ImportFile).where(ImportFile.import_id == job.id))
