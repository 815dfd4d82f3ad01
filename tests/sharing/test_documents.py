"""Signed-agreement PDFs: checked by content, stored under a random name, served safely."""

from __future__ import annotations

import dataclasses
import io

import pytest
from sqlalchemy import func, select

from ig.errors import NotFound, ValidationFailed
from ig.sharing import documents
from ig.sharing.models import AgreementDocument
from tests import factories
from tests.sharing.conftest import NOW, OFFICER, actions
from tests.sharing.test_rules import PDF

LIMIT = 4096


@pytest.fixture
def agreement(db, policy, own):
    return factories.make_sharing_agreement(db, policy, own)


def test_a_pdf_is_kept_under_a_generated_name_outside_the_web_root(db, tmp_path, agreement):
    document = documents.store_document(
        db, OFFICER, tmp_path, agreement, "../../etc/Signed DSA.pdf", PDF, LIMIT, NOW
    )
    stored = tmp_path / "sharing" / document.stored_name
    assert stored.read_bytes() == PDF
    assert document.original_name == "Signed DSA.pdf"
    assert "DSA" not in document.stored_name
    assert len(document.stored_name) == 32
    assert actions(db, "agreement", agreement.id)[-1] == "agreement.document_uploaded"
    opened, data = documents.open_document(db, OFFICER, tmp_path, document.id)
    assert (opened, data) == (document, PDF)
    assert actions(db, "agreement", agreement.id)[-1] == "agreement.document_downloaded"


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "must be a PDF"),
        (PDF + b"\0" * LIMIT, "smaller than"),
    ],
)
def test_a_disguised_or_oversized_file_is_refused_and_nothing_kept(
    db, tmp_path, agreement, data, says
):
    with pytest.raises(ValidationFailed, match=says):
        documents.store_document(db, OFFICER, tmp_path, agreement, "a.pdf", data, LIMIT, NOW)
    assert db.scalar(select(func.count()).select_from(AgreementDocument)) == 0
    assert not (tmp_path / "sharing").exists() or not any((tmp_path / "sharing").iterdir())


def test_a_tampered_or_missing_file_is_not_served(db, tmp_path, agreement):
    document = documents.store_document(db, OFFICER, tmp_path, agreement, "a.pdf", PDF, LIMIT, NOW)
    (tmp_path / "sharing" / document.stored_name).write_bytes(PDF.replace(b"1.7", b"1.6"))
    with pytest.raises(ValidationFailed, match="changed"):
        documents.open_document(db, OFFICER, tmp_path, document.id)
    (tmp_path / "sharing" / document.stored_name).unlink()
    with pytest.raises(NotFound):
        documents.open_document(db, OFFICER, tmp_path, document.id)


def upload(client, agreement_id, data, name="signed.pdf"):
    return client.post(
        f"/sharing/agreements/{agreement_id}/documents",
        data={"document": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_upload_and_download_through_the_pages(client, login_as, db, app, agreement):
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
    upload_dir = app.extensions["ig.settings"].upload_dir
    assert (upload_dir / "sharing" / document.stored_name).is_file()
    assert "static" not in str(upload_dir)


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


def test_only_people_who_may_see_the_agreement_download_it(
    client, login_as, db, tmp_path, agreement
):
    document = documents.store_document(db, OFFICER, tmp_path, agreement, "a.pdf", PDF, LIMIT, NOW)
    login_as("staff")
    db.commit()
    assert client.get(f"/sharing/agreements/documents/{document.id}").status_code == 403
    assert upload(client, agreement.id, PDF).status_code == 403


def test_an_unknown_document_is_not_found(client, login_as, db):
    login_as("auditor")
    db.commit()
    assert client.get("/sharing/agreements/documents/424242").status_code == 404
