"""Encryption at rest: no plaintext in the database, tampering and moving detected."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import inspect

from ig.auth.models import User
from ig.crypto import DecryptionError, KeyRing, install_keyring, key_id_of, new_key_material
from ig.encrypted import (
    Bound,
    BoundBytes,
    EncryptedBytes,
    EncryptedColumn,
    EncryptedText,
    encrypted_columns,
)
from ig.errors import ConfigurationError
from ig.models import Base
from tests.conftest import KEY_MATERIAL
from tests.factories import make_user

SECRET = "JBSWY3DPEHPK3PXP-plaintext-marker"
CONTEXT = "users.totp_secret"
ROW = "0123456789abcdef0123456789abcdef"


def raw_secret(db, user_id: int) -> str:
    sql = f"SELECT totp_secret FROM users WHERE id = {int(user_id)}"
    return db.connection().exec_driver_sql(sql).scalar_one()


def set_raw_secret(db, user_id: int, value: str) -> None:
    db.connection().exec_driver_sql(
        f"UPDATE users SET totp_secret = '{value}' WHERE id = {int(user_id)}"
    )
    db.expire_all()


def reload(db, user_id: int) -> User:
    db.expire_all()
    return db.get(User, user_id)


@pytest.fixture
def user(db):
    return make_user(db, totp_secret=SECRET)


@pytest.fixture
def two_key_ring(keyring):
    """The test ring plus a newer active key; the test ring is put back afterwards."""
    material = {**KEY_MATERIAL, "keys": {**KEY_MATERIAL["keys"]}, "active": "new"}
    material["keys"]["new"] = base64.b64encode(b"n" * 32).decode()
    ring = KeyRing.from_material(material)
    install_keyring(ring)
    yield ring
    install_keyring(keyring)


def test_no_plaintext_anywhere_in_the_raw_database(db, user):
    connection = db.connection()
    searched = 0
    for table in inspect(connection).get_table_names():
        for row in connection.exec_driver_sql(f'SELECT * FROM "{table}"'):
            for value in row:
                searched += 1
                assert SECRET not in str(value), f"plaintext found in table {table}"
                assert SECRET.encode() not in repr(value).encode()
    assert searched > 0
    stored = raw_secret(db, user.id)
    assert stored.startswith("v2:test1:")  # the key id travels with the value
    assert reload(db, user.id).totp_secret == SECRET


def test_same_plaintext_encrypts_differently_each_time(keyring):
    one, two = keyring.encrypt(SECRET, CONTEXT, ROW), keyring.encrypt(SECRET, CONTEXT, ROW)
    assert one != two
    assert keyring.decrypt(one, CONTEXT, ROW) == keyring.decrypt(two, CONTEXT, ROW) == SECRET


def test_key_id_is_carried(keyring, two_key_ring):
    assert key_id_of(keyring.encrypt("x", CONTEXT, ROW)) == "test1"
    assert key_id_of(two_key_ring.encrypt("x", CONTEXT, ROW)) == "new"
    # older keys still read
    assert two_key_ring.decrypt(keyring.encrypt("old", CONTEXT, ROW), CONTEXT, ROW) == "old"


def flip_one_byte(stored: str) -> str:
    prefix, body = stored.rsplit(":", 1)
    raw = bytearray(base64.b64decode(body))
    raw[-1] ^= 0x01
    return f"{prefix}:{base64.b64encode(bytes(raw)).decode()}"


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (flip_one_byte, "value in users.totp_secret failed its integrity check"),
        (lambda s: s[:-8] + "AAAAAAA=", "failed its integrity check"),
        (lambda s: s.rsplit(":", 1)[0] + ":AAAA", "failed its integrity check"),
        (lambda s: s.rsplit(":", 1)[0] + ":not base64!", "failed its integrity check"),
        (lambda s: s.replace("v2:", "v9:", 1), "has unknown format 'v9'"),
        (lambda s: s.replace("v2:", "v1:", 1), "has unknown format 'v1'"),
        (lambda s: s.replace("test1", "gone", 1), "under key 'gone', which is not in the key"),
        (lambda _s: SECRET, "is not an encrypted value"),
    ],
)
def test_a_tampered_value_fails_clearly(db, user, tamper, message):
    set_raw_secret(db, user.id, tamper(raw_secret(db, user.id)))
    with pytest.raises(DecryptionError) as caught:
        reload(db, user.id).totp_secret  # noqa: B018 - loading is what fails
    assert message in str(caught.value)
    assert SECRET not in str(caught.value)


def test_a_value_from_another_row_key_id_swapped_does_not_decrypt(db, user, two_key_ring):
    other = make_user(db, totp_secret="another secret")
    under_new = raw_secret(db, other.id)
    assert under_new.startswith("v2:new:")
    set_raw_secret(db, user.id, under_new.replace("v2:new:", "v2:test1:", 1))
    with pytest.raises(DecryptionError, match="integrity check"):
        reload(db, user.id).totp_secret  # noqa: B018


def test_a_value_copied_from_another_column_does_not_decrypt(db, user, keyring):
    # A value from any other encrypted column (here, one that other features may add).
    foreign = keyring.encrypt(SECRET, "incidents.description", user.row_key)
    set_raw_secret(db, user.id, foreign)
    with pytest.raises(DecryptionError, match="altered or moved"):
        reload(db, user.id).totp_secret  # noqa: B018


def test_context_binding_at_the_key_ring(keyring):
    stored = keyring.encrypt(SECRET, "table_a.detail", ROW)
    with pytest.raises(DecryptionError):
        keyring.decrypt(stored, "table_b.detail", ROW)
    with pytest.raises(DecryptionError):
        keyring.decrypt(stored, "table_a.details", ROW)
    with pytest.raises(DecryptionError):
        keyring.decrypt(stored, "table_a.detail", ROW[::-1])
    with pytest.raises(DecryptionError):
        keyring.decrypt_legacy(stored, "table_a.detail")


def test_a_missing_key_ring_is_a_clear_error(keyring):
    install_keyring(None)  # type: ignore[arg-type]
    try:
        with pytest.raises(Exception, match="no key ring installed"):
            EncryptedText(CONTEXT).process_bind_param(Bound("x", ROW), None)  # type: ignore[arg-type]
    finally:
        install_keyring(keyring)


@given(st.text())
def test_round_trip_of_any_text(text):
    ring = KeyRing.from_material(KEY_MATERIAL)
    stored = ring.encrypt(text, CONTEXT, ROW)
    assert ring.decrypt(stored, CONTEXT, ROW) == text
    assert stored.startswith("v2:test1:")


@given(st.binary())
def test_round_trip_of_any_bytes_in_the_same_stored_form(data):
    ring = KeyRing.from_material(KEY_MATERIAL)
    stored = ring.encrypt_bytes(data, CONTEXT, ROW)
    assert ring.decrypt_bytes(stored, CONTEXT, ROW) == data
    assert stored.startswith("v2:test1:")
    with pytest.raises(DecryptionError):
        ring.decrypt_bytes(stored, CONTEXT, ROW.replace("0", "1"))


def test_a_bytes_column_encrypts_bound_bytes_and_reads_them_back(keyring):
    column = EncryptedBytes(CONTEXT)
    stored = column.process_bind_param(BoundBytes(b"%PDF-\x00\xff", ROW), None)
    assert stored is not None
    assert stored.startswith("v2:")
    assert column.process_result_value(f"{ROW}/{stored}", None) == b"%PDF-\x00\xff"
    with pytest.raises(TypeError, match="binds each value to its row"):
        column.process_bind_param(b"unbound", None)
    with pytest.raises(TypeError, match=r"holds bytes, not str"):
        column.process_bind_param("text", None)  # type: ignore[arg-type]
    assert repr(column.copy()) == f"EncryptedBytes({CONTEXT!r})"


@pytest.mark.parametrize("text", ["", " ", "é ß 中文 🙂", "x" * 20_000, "a'b\"c;--", "line\nbreak"])
def test_database_round_trip_of_awkward_text(db, text):
    user = make_user(db, totp_secret=text)
    assert reload(db, user.id).totp_secret == text


def test_null_stays_null(db):
    user = make_user(db, totp_secret=None)
    assert raw_secret(db, user.id) is None
    assert reload(db, user.id).totp_secret is None


class TestBlindIndex:
    def test_stable_across_key_ring_instances(self, keyring):
        again = KeyRing.from_material(KEY_MATERIAL)
        assert keyring.blind_index("Ada Lovelace", "people.name") == again.blind_index(
            "Ada Lovelace", "people.name"
        )

    def test_normalised_for_case_and_spacing(self, keyring):
        forms = ["Ada Lovelace", "ada lovelace", "  ADA   Lovelace ", "ada\tlovelace\n"]
        assert len({keyring.blind_index(form, "people.name") for form in forms}) == 1
        assert keyring.blind_index("Ada Lovelac", "people.name") != keyring.blind_index(
            "Ada Lovelace", "people.name"
        )

    def test_keyed(self, keyring):
        other = KeyRing.from_material({**new_key_material(), "source": "other"})
        assert keyring.blind_index("x", "people.name") != other.blind_index("x", "people.name")

    def test_bound_to_its_column(self, keyring):
        assert keyring.blind_index("x", "people.name") != keyring.blind_index("x", "people.nhs")

    def test_is_a_hex_digest_and_not_the_value(self, keyring):
        index = keyring.blind_index("9434765919", "people.nhs_number")
        assert len(index) == 64
        int(index, 16)
        assert "9434765919" not in index

    @given(st.text(), st.sampled_from(["", " ", "  \t"]))
    def test_surrounding_space_never_matters(self, text, pad):
        ring = KeyRing.from_material(KEY_MATERIAL)
        assert ring.blind_index(pad + text + pad, "c.c") == ring.blind_index(text, "c.c")


def test_encrypted_columns_lists_every_encrypted_column_with_its_comment():
    columns = encrypted_columns(Base.metadata)
    assert ("users", "totp_secret", "two-factor secret of a user") in columns
    for table_name, column_name, comment in columns:
        column = Base.metadata.tables[table_name].c[column_name]
        assert isinstance(column.type, EncryptedColumn)
        assert comment, f"{table_name}.{column_name} needs a comment saying what it holds"
    every = {
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, EncryptedColumn)
    }
    assert every == {(t, c) for t, c, _ in columns}


def test_encrypted_columns_refuses_a_misdeclared_context():
    import sqlalchemy as sa

    metadata = sa.MetaData()
    sa.Table("notes", metadata, sa.Column("body", EncryptedText("users.totp_secret")))
    with pytest.raises(ConfigurationError, match=r"notes\.body declares context"):
        encrypted_columns(metadata)


def test_only_text_is_encrypted(keyring):
    with pytest.raises(TypeError, match=r"users\.totp_secret holds text, not int"):
        EncryptedText(CONTEXT).process_bind_param(42, None)  # type: ignore[arg-type]


def test_an_unbound_value_is_never_written(keyring):
    with pytest.raises(TypeError, match="binds each value to its row"):
        EncryptedText(CONTEXT).process_bind_param("x", None)  # type: ignore[arg-type]
