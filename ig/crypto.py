"""Key ring, encrypted column type and blind index: sensitive fields encrypted at rest.

A stored value reads ``v1:<key id>:<base64(nonce || ciphertext || tag)>``. The
AES-256-GCM associated data binds it to its ``table.column`` and key id, so a value
copied into another column, or relabelled with another key id, fails to decrypt
instead of yielding the wrong plaintext.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from ig.errors import ConfigurationError, IgError

FORMAT = "v1"
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

    def encrypt(self, plaintext: str, context: str) -> str:
        """Encrypt ``plaintext`` for the column named by ``context`` under the active key."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.active_id]).encrypt(
            nonce, plaintext.encode("utf-8"), _aad(context, self.active_id)
        )
        return f"{FORMAT}:{self.active_id}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, stored: str, context: str) -> str:
        """Decrypt a stored value of the column ``context``; DecryptionError if it will not."""
        try:
            fmt, key_id, body = stored.split(":", 2)
        except ValueError:
            raise DecryptionError(f"value in {context} is not an encrypted value") from None
        if fmt != FORMAT:
            raise DecryptionError(f"value in {context} has unknown format {fmt!r}")
        key = self.keys.get(key_id)
        if key is None:
            raise DecryptionError(
                f"value in {context} is encrypted under key {key_id!r}, "
                "which is not in the key ring"
            )
        try:
            raw = base64.b64decode(body, validate=True)
            plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(context, key_id))
        except (InvalidTag, ValueError):
            raise DecryptionError(
                f"value in {context} failed its integrity check: it was altered or moved "
                "from another column"
            ) from None
        return plain.decode("utf-8")

    def blind_index(self, value: str, context: str) -> str:
        """A keyed HMAC of a normalised value, for exact-match look-ups without plaintext."""
        normalised = " ".join(value.split()).casefold()
        mac = hmac.new(self.index_key, f"{context}\x00{normalised}".encode(), hashlib.sha256)
        return mac.hexdigest()


def key_id_of(stored: str) -> str:
    """The id of the key a stored value was encrypted under."""
    return stored.split(":", 2)[1]


def _aad(context: str, key_id: str) -> bytes:
    return f"{FORMAT}|{context}|{key_id}".encode()


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


class EncryptedText(TypeDecorator[str]):
    """A text column encrypted with AES-256-GCM, bound to ``context`` ("table.column").

    The context is written out in each model so that the list of encrypted fields can
    be read in one place (``encrypted_columns``) and checked against where it is used.
    """

    impl = Text
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise TypeError(f"{self.context} holds text, not {type(value).__name__}")
        return get_keyring().encrypt(value, self.context)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return get_keyring().decrypt(value, self.context)

    def copy(self, **kw: Any) -> EncryptedText:
        return EncryptedText(self.context)

    def __repr__(self) -> str:
        return f"EncryptedText({self.context!r})"


def encrypted_columns(metadata: Any) -> list[tuple[str, str, str]]:
    """Every encrypted column as (table, column, description), sorted.

    Also checks that each column's declared context is its real place, so that a
    copied model line cannot silently bind values to the wrong column.
    """
    found = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, EncryptedText):
                expected = f"{table.name}.{column.name}"
                if column.type.context != expected:
                    raise ConfigurationError(
                        f"encrypted column {expected} declares context {column.type.context!r}"
                    )
                found.append((table.name, column.name, column.comment or ""))
    return sorted(found)
