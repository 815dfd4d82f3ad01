"""The backup file: a tar archive of the manifest and the database, written atomically."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time
from pathlib import Path
from typing import Any

from ig.errors import IgError

FORMAT = "ig-backup/1"
MANIFEST = "manifest.json"
_CHUNK = 1 << 20


class BackupError(IgError):
    """A backup or restore was refused or failed; the message says what to do."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def refuse_existing(destination: Path) -> None:
    if destination.exists():
        raise BackupError(f"{destination} already exists; it was left unchanged")
    if not destination.parent.is_dir():
        raise BackupError(f"{destination.parent} is not a folder: create it first")


def write_archive(destination: Path, manifest: dict[str, Any], payload: Path) -> None:
    """Write ``manifest`` and ``payload`` to ``destination``, all or nothing.

    The archive is written beside the destination, flushed to the disk, then linked
    into place: a crash leaves no half-written backup, and an existing file (even one
    created meanwhile) is never replaced.
    """
    refuse_existing(destination)
    temporary = destination.with_name(f".{destination.name}.{os.getpid()}.partial")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            with tarfile.open(fileobj=handle, mode="w") as archive:
                text = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(text), 0o600, int(time.time())
                archive.addfile(info, io.BytesIO(text))  # first, to read it without the rest
                archive.add(str(payload), arcname=manifest["database"]["file"], filter=_private)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, destination)
        except FileExistsError:
            raise BackupError(f"{destination} already exists; it was left unchanged") from None
    finally:
        temporary.unlink(missing_ok=True)


def _private(member: tarfile.TarInfo) -> tarfile.TarInfo:
    member.mode, member.uname, member.gname = 0o600, "", ""
    return member


def read_archive(source: Path, workdir: Path) -> tuple[dict[str, Any], Path]:
    """The manifest of ``source`` and its database, extracted into ``workdir`` and
    checked against the manifest's checksum; BackupError naming what is wrong."""
    if not source.is_file():
        raise BackupError(f"There is no backup file {source}")
    try:
        with tarfile.open(source, mode="r:") as archive:
            manifest = _manifest(archive, source)
            name = manifest["database"]["file"]
            member = archive.getmember(name)
            handle = archive.extractfile(member)
            if handle is None or not member.isfile():
                raise KeyError(name)
            payload = workdir / Path(name).name
            with payload.open("wb") as out:
                while chunk := handle.read(_CHUNK):
                    out.write(chunk)
    except (tarfile.TarError, OSError, EOFError, KeyError, TypeError) as error:
        raise BackupError(
            f"{source} is not a readable ig backup (damaged or truncated): {error}"
        ) from None
    if sha256_of(payload) != manifest["database"]["sha256"]:
        raise BackupError(
            f"{source} is damaged: its database does not match the checksum in its manifest"
        )
    return manifest, payload


def _manifest(archive: tarfile.TarFile, source: Path) -> dict[str, Any]:
    try:
        handle = archive.extractfile(MANIFEST)
        manifest = json.loads(handle.read()) if handle else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is not an ig backup: it has no {FORMAT} manifest")
    database = manifest.get("database")
    if not isinstance(database, dict) or not {"file", "sha256", "dialect"} <= set(database):
        raise BackupError(f"{source} has a manifest that does not describe its database")
    return manifest
