"""What the migrations that move uploaded files between the instance folder and the
database share: the folder, reading a file checked against its digest, and writing one
back, owner-only.

Migrations are history: a change here changes what they do, so these stay small and
keep their behaviour.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from alembic import context

from ig.crypto import DecryptionError, KeyRing
from ig.migrations import UpgradeRefused


def upload_folder(what: str) -> Path:
    """The instance's upload folder, which ig init gives the migrations; UpgradeRefused
    saying that ``what`` moves between it and the database, if it was not given."""
    folder = context.config.attributes.get("upload_dir")
    if folder is None:
        raise UpgradeRefused(
            f"{what} move between the instance folder and the database, and this migration "
            "was not told the folder: run it through ig (ig init)"
        )
    return Path(folder)


def read_checked(path: Path, sha256: str, named: str) -> bytes:
    """The file at ``path``, if it is the one uploaded (its SHA-256 is ``sha256``);
    otherwise UpgradeRefused naming it (``named``: whose file it is) and the fix."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problem = "is missing"
    except OSError as error:
        problem = f"cannot be read ({error.strerror or error})"
    else:
        if hashlib.sha256(data).hexdigest() == sha256:
            return data
        problem = "is not the file that was uploaded (its SHA-256 differs)"
    raise UpgradeRefused(
        f"the file {path} of {named} {problem}. Restore it from a backup of the instance "
        "folder, then run ig init again; nothing has been changed"
    )


def opened_checked(
    keyring: KeyRing, sealed: str, where: str, row_key: str, sha256: str, named: str
) -> bytes:
    """A stored file decrypted in its row, if it is the one uploaded; otherwise
    UpgradeRefused saying the stored copy of ``named`` was altered."""
    try:
        data: bytes | None = keyring.decrypt_bytes(sealed, where, row_key)
    except DecryptionError:
        data = None
    if data is None or hashlib.sha256(data).hexdigest() != sha256:
        raise UpgradeRefused(f"the stored bytes of {named} were altered; nothing written")
    return data


def write_owner_only(path: Path, data: bytes) -> None:
    """Write a new file readable by ig's user alone, in a folder only it can enter."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
