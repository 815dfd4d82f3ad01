"""Key ring and blind index: sensitive fields encrypted at rest.

A stored value reads ``v2:<key id>:<base64(nonce || ciphertext || tag)>``, whether it
holds text or bytes. The AES-256-GCM associated data binds it to its
``table.column``, its row and its key id, so a value copied into another column or
another row, or relabelled with another key id, fails to decrypt instead of yielding
the wrong plaintext.

A row's identity is its ``row_key``: a random value made by ig when the row is
inserted (``RowKeyed``), unique and never changed. The column types that encrypt and
decrypt in the ORM, and the list of encrypted columns, are in ig/encrypted.py.

``v1`` values (bound to table and column only) are read by the migration that carries
them to ``v2`` and by key rotation, never by the application.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ig.errors import ConfigurationError, IgError

FORMAT = "v2"  # bound to table, column and row
LEGACY_FORMAT = "v1"  # bound to table and column only; read by migration and rotation
ROW_KEY = "row_key"
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
NONCE_BYTES = 12


class DecryptionError(IgError):
    """A stored value could not be decrypted: altered, moved, or its key is missing."""


def _b64key(value: object, where: str) -> bytes:
    try:
        key = base64.b64decode(str(value), validate=True)
    except (ValueError, TypeError) as exc:
        raise ConfigurationError(f"{where} is not valid base64") from exc
    if len(key) != 32:
        raise ConfigurationError(f"{where} must be 32 bytes (256 bits), not {len(key)}")
    return key


def new_key_material(key_id: str = "k1") -> dict[str, Any]:
    """Fresh key material: one active data key, a blind-index key and an audit key."""

    def fresh() -> str:
        return base64.b64encode(secrets.token_bytes(32)).decode()

    return {
        "active": key_id,
        "keys": {key_id: fresh()},
        "index_key": fresh(),
        "audit_key": fresh(),
    }


@dataclass(frozen=True)
class KeyRing:
    """The data keys: one active key for writing, older keys kept for reading."""

    active_id: str
    keys: Mapping[str, bytes] = field(repr=False)
    index_key: bytes = field(repr=False)
    audit_key: bytes = field(repr=False)

    @classmethod
    def from_material(cls, material: Mapping[str, Any]) -> KeyRing:
        """Build a key ring from settings' key material; ConfigurationError if unusable."""
        source = material.get("source", "the data keys")
        keys_in = material.get("keys")
        if not isinstance(keys_in, Mapping) or not keys_in:
            raise ConfigurationError(f"{source}: 'keys' must map key ids to base64 keys")
        keys = {}
        for key_id, value in keys_in.items():
            if not KEY_ID.match(str(key_id)):
                raise ConfigurationError(
                    f"{source}: key id {key_id!r} must be 1-32 letters, digits, _ or -"
                )
            keys[str(key_id)] = _b64key(value, f"{source}: keys.{key_id}")
        active = material.get("active")
        if active not in keys:
            raise ConfigurationError(
                f"{source}: 'active' must name one of the keys ({', '.join(keys)})"
            )
        for name in ("index_key", "audit_key"):
            if name not in material:
                raise ConfigurationError(f"{source}: '{name}' is missing")
        return cls(
            active_id=str(active),
            keys=keys,
            index_key=_b64key(material["index_key"], f"{source}: index_key"),
            audit_key=_b64key(material["audit_key"], f"{source}: audit_key"),
        )

    def encrypt(self, plaintext: str, context: str, row_key: str) -> str:
        """Encrypt ``plaintext`` for column ``context`` of row ``row_key``, active key."""
        return self.encrypt_bytes(plaintext.encode("utf-8"), context, row_key)

    def encrypt_bytes(self, plaintext: bytes, context: str, row_key: str) -> str:
        """Encrypt bytes as ``encrypt`` encrypts text: the same stored form and binding."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.active_id]).encrypt(
            nonce, plaintext, _aad(FORMAT, context, self.active_id, row_key)
        )
        return f"{FORMAT}:{self.active_id}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, stored: str, context: str, row_key: str) -> str:
        """Decrypt a value of column ``context`` in row ``row_key``; DecryptionError if not."""
        return self.decrypt_bytes(stored, context, row_key).decode("utf-8")

    def decrypt_bytes(self, stored: str, context: str, row_key: str) -> bytes:
        """Decrypt a value as bytes (what ``encrypt_bytes`` stored); DecryptionError if not."""
        return self._open(stored, context, FORMAT, row_key)

    def decrypt_legacy(self, stored: str, context: str) -> str:
        """Decrypt a ``v1`` value (bound to its column only), for migration and rotation."""
        return self._open(stored, context, LEGACY_FORMAT, "").decode("utf-8")

    def _open(self, stored: str, context: str, expected: str, row_key: str) -> bytes:
        try:
            fmt, key_id, body = stored.split(":", 2)
        except ValueError:
            raise DecryptionError(f"value in {context} is not an encrypted value") from None
        if fmt != expected:
            raise DecryptionError(f"value in {context} has unknown format {fmt!r}")
        key = self.keys.get(key_id)
        if key is None:
            raise DecryptionError(
                f"value in {context} is encrypted under key {key_id!r}, "
                "which is not in the key ring"
            )
        try:
            raw = base64.b64decode(body, validate=True)
            plain = AESGCM(key).decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(fmt, context, key_id, row_key)
            )
        except (InvalidTag, ValueError):
            raise DecryptionError(
                f"value in {context} failed its integrity check: it was altered or moved "
                "from another column or row"
            ) from None
        return plain

    def blind_index(self, value: str, context: str) -> str:
        """A keyed HMAC of a normalised value, for exact-match look-ups without plaintext."""
        normalised = " ".join(value.split()).casefold()
        mac = hmac.new(self.index_key, f"{context}\x00{normalised}".encode(), hashlib.sha256)
        return mac.hexdigest()


def key_id_of(stored: str) -> str:
    """The id of the key a stored value was encrypted under."""
    return stored.split(":", 2)[1]


def _aad(fmt: str, context: str, key_id: str, row_key: str) -> bytes:
    if fmt == LEGACY_FORMAT:
        return f"{fmt}|{context}|{key_id}".encode()
    return f"{fmt}|{context}|{row_key}|{key_id}".encode()


def new_row_key() -> str:
    """A fresh row key: 128 random bits, as 32 hex digits."""
    return uuid.uuid4().hex


_keyring: KeyRing | None = None


def install_keyring(keyring: KeyRing) -> None:
    """Make ``keyring`` the one the encrypted column types use.

    Column types have no access to the application, so the key ring is held here;
    create_app installs it before any query runs.
    """
    global _keyring
    _keyring = keyring


def get_keyring() -> KeyRing:
    """The installed key ring; IgError if the application has not installed one."""
    if _keyring is None:
        raise IgError("no key ring installed: create the application first")
    return _keyring
