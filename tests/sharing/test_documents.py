"""Signed-agreement PDFs: checked by content, kept encrypted in the database, served safely."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io

import pytest
from sqlalchemy import delete, func, select, text

from ig.auth.rules import SYSTEM
from ig.crypto import KeyRing, install_keyring
from ig.errors import NotFound, ValidationFailed
from ig.keys import keyring_usage, rotate_keys
from ig.sharing import documents
from ig.sharing.models import AgreementDocument, DocumentContent
from tests import factories
from tests.conftest import KEY_MATERIAL
from tests.sharing.conftest import NOW, OFFICER, actions
from tests.sharing.test_rules import PDF

LIMIT = 4096
CONTEXT = "sharing_document_contents.data"


@pytest.fixture
def agreement(db, policy, own):
    return factories.make_sharing_agreement(db, policy, own)


def raw_content(db, document_id: int) -> tuple[int, str]:
    """The stored (encrypted) bytes of a document, as the database holds them."""
    row = db.execute(
        text("SELECT id, data FROM sharing_document_contents WHERE document_id = :id"),
        {"id": document_id},
    ).one()
    return row.id, row.data


def set_raw_content(db, content_id: int, stored: str) -> None:
    db.execute(
        text("UPDATE sharing_document_contents SET data = :data WHERE id = :id"),
        {"data": stored, "id": content_id},
    )
    db.expire_all()


def test_a_pdf_is_kept_encrypted_in_the_database(db, agreement):
    document = documents.store_document(
        db, OFFICER, agreement, "../../etc/Signed DSA.pdf", PDF, LIMIT, NOW
    )
    _, stored = raw_content(db, document.id)
    assert stored.startswith("v2:")
    assert b"%PDF" not in stored.encode()
    assert base64.b64encode(PDF).decode()[:40] not in stored
    assert document.original_name == "Signed DSA.pdf"
    assert (document.size_bytes, document.sha256) == (len(PDF), hashlib.sha256(PDF).hexdigest())
    assert actions(db, "agreement", agreement.id)[-1] == "agreement.document_uploaded"
    opened, data = documents.open_document(db, OFFICER, document.id)
    assert (opened, data) == (document, PDF)
    assert actions(db, "agreement", agreement.id)[-1] == "agreement.document_downloaded"


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "must be a PDF"),
        (PDF + b"\0" * LIMIT, "smaller than"),
    ],
)
def test_a_disguised_or_oversized_file_is_refused_and_nothing_kept(db, agreement, data, says):
    with pytest.raises(ValidationFailed, match=says):
        documents.store_document(db, OFFICER, agreement, "a.pdf", data, LIMIT, NOW)
    assert db.scalar(select(func.count()).select_from(AgreementDocument)) == 0
    assert db.scalar(select(func.count()).select_from(DocumentContent)) == 0


def test_bytes_altered_in_the_database_are_refused(db, keyring, agreement):
    document = documents.store_document(db, OFFICER, agreement, "a.pdf", PDF, LIMIT, NOW)
    content_id, stored = raw_content(db, document.id)
    flipped = stored[:-8] + ("A" if stored[-8] != "A" else "B") + stored[-7:]
    set_raw_content(db, content_id, flipped)
    with pytest.raises(ValidationFailed, match="changed since it was uploaded"):
        documents.open_document(db, OFFICER, document.id)
    # Validly encrypted for its row, but not the bytes uploaded: the digest refuses it.
    row_key = db.scalar(
        text(f"SELECT row_key FROM sharing_document_contents WHERE id = {content_id}")
    )
    other = keyring.encrypt_bytes(PDF.replace(b"1.7", b"1.6"), CONTEXT, row_key)
    set_raw_content(db, content_id, other)
    with pytest.raises(ValidationFailed, match="changed since it was uploaded"):
        documents.open_document(db, OFFICER, document.id)
    assert "agreement.document_downloaded" not in actions(db, "agreement", agreement.id)


def test_bytes_moved_from_another_document_are_refused(db, agreement):
    first = documents.store_document(db, OFFICER, agreement, "a.pdf", PDF, LIMIT, NOW)
    second = documents.store_document(db, OFFICER, agreement, "b.pdf", PDF, LIMIT, NOW)
    _, stored = raw_content(db, first.id)
    second_id, _ = raw_content(db, second.id)
    set_raw_content(db, second_id, stored)  # the same PDF, but bound to the other row
    with pytest.raises(ValidationFailed, match="changed since it was uploaded"):
        documents.open_document(db, OFFICER, second.id)


def test_missing_bytes_are_not_found(db, agreement):
    document = documents.store_document(db, OFFICER, agreement, "a.pdf", PDF, LIMIT, NOW)
    db.execute(delete(DocumentContent).where(DocumentContent.document_id == document.id))
    with pytest.raises(NotFound, match="missing"):
        documents.open_document(db, OFFICER, document.id)


def upload(client, agreement_id, data, name="signed.pdf"):
    return client.post(
        f"/sharing/agreements/{agreement_id}/documents",
        data={"document": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def files_under(folder) -> list[str]:
    return sorted(str(path) for path in folder.rglob("*") if path.is_file())


def test_upload_and_download_through_the_pages(client, login_as, db, app, agreement):
    instance = app.extensions["ig.settings"].instance_path
    before = files_under(instance)
    login_as("ig_officer")
    db.commit()
    assert upload(client, agreement.id, PDF).status_code == 302
    document = db.scalar(select(AgreementDocument))
    response = client.get(f"/sharing/agreements/documents/{document.id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "signed.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert files_under(instance) == before  # nothing kept on this machine's disk


def test_a_document_altered_in_the_database_is_refused_on_the_page(client, login_as, db, agreement):
    document = documents.store_document(db, OFFICER, agreement, "a.pdf", PDF, LIMIT, NOW)
    content_id, stored = raw_content(db, document.id)
    set_raw_content(db, content_id, stored.replace("v2:", "v2:x", 1))
    login_as("auditor")
    db.commit()
    response = client.get(f"/sharing/agreements/documents/{document.id}")
    assert response.status_code == 422
    assert b"changed since it was uploaded" in response.data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><script>alert(1)</script></html>", b"The selected file must be a PDF"),
        (PDF + b" " * 8192, b"The selected file must be smaller than 8 KB"),
    ],
)
def test_a_bad_upload_is_refused_on_the_page(client, login_as, db, app, agreement, data, message):
    # A small limit keeps the request small: Werkzeug's test client leaves the temporary
    # file of a large multipart body open, which the warnings-as-errors run would flag.
    policies = app.extensions["ig.policies"]
    small = dataclasses.replace(policies.sharing, upload_max_bytes=8 * 1024)
    app.extensions["ig.policies"] = policies.with_parts(sharing=small)
    login_as("ig_officer")
    db.commit()
    response = upload(client, agreement.id, data)
    assert response.status_code == 422
    assert message in response.data
    assert db.scalar(select(func.count()).select_from(AgreementDocument)) == 0


def test_only_people_who_may_see_the_agreement_download_it(client, login_as, db, agreement):
    document = documents.store_document(db, OFFICER, agreement, "a.pdf", PDF, LIMIT, NOW)
    login_as("staff")
    db.commit()
    assert client.get(f"/sharing/agreements/documents/{document.id}").status_code == 403
    assert upload(client, agreement.id, PDF).status_code == 403


def test_an_unknown_document_is_not_found(client, login_as, db):
    login_as("auditor")
    db.commit()
    assert client.get("/sharing/agreements/documents/424242").status_code == 404


def test_key_rotation_re_encrypts_documents_a_few_at_a_time(db, keyring, agreement):
    stored = [
        documents.store_document(db, OFFICER, agreement, f"{n}.pdf", PDF, LIMIT, NOW)
        for n in range(12)
    ]
    keys = {**KEY_MATERIAL["keys"], "k2": base64.b64encode(b"2" * 32).decode()}
    ring = KeyRing.from_material({**KEY_MATERIAL, "keys": keys, "active": "k2"})
    install_keyring(ring)
    try:
        assert keyring_usage(db, ring).by_column[CONTEXT] == {"k2": 0, "test1": 12}
        progress: list[int] = []
        rotate_keys(db, ring, SYSTEM, batch_size=500, on_batch=progress.append)
        assert progress[-2:] == [progress[-1] - 2, progress[-1]]  # 10, then the last 2
        assert keyring_usage(db, ring).by_column[CONTEXT] == {"k2": 12, "test1": 0}
        db.expire_all()
        assert {documents.open_document(db, OFFICER, d.id)[1] for d in stored} == {PDF}
    finally:
        install_keyring(keyring)


def test_the_encrypted_fields_page_lists_the_documents_bytes(client, login_as, db):
    login_as("auditor")
    db.commit()
    response = client.get("/audit/encrypted-fields")
    assert b'<td class="govuk-table__cell">sharing_document_contents</td>' in response.data
    assert b"an uploaded agreement PDF" in response.data
