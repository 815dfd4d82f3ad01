"""Signed-agreement PDFs are parsed, not searched: hostile samples and damaged files."""

from __future__ import annotations

import dataclasses
import io
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from ig.errors import ValidationFailed
from ig.sharing.models import AgreementDocument
from ig.sharing.rules import check_pdf
from tests import factories
from tests.sharing import pdf_samples
from tests.sharing.pdf_samples import PAGES, in_object_stream, laid_out
from tests.sharing.test_rules import PDF

LIMIT = 1024 * 1024


def refusal(data: bytes) -> str:
    with pytest.raises(ValidationFailed) as refused:
        check_pdf(data, LIMIT)
    assert refused.value.field == "document"
    return refused.value.message


@pytest.mark.parametrize(
    "data",
    [
        PDF,
        pdf_samples.plain(),
        pdf_samples.compressed_plain(),
        pdf_samples.hostile("open_at_a_page"),
    ],
    ids=["hand-written", "pypdf", "object-stream", "opening-page"],
)
def test_a_plain_pdf_is_accepted(data):
    check_pdf(data, LIMIT)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ("javascript", "JavaScript"),
        ("open_action", "(OpenAction)"),
        ("additional_actions", "(AA)"),
        ("launch", "(Launch)"),
        ("embedded_file", "(EmbeddedFile)"),
        ("rich_media", "(RichMedia)"),
        ("xfa", "(XFA)"),
    ],
)
def test_active_content_is_refused_naming_what_was_found(change, named):
    message = refusal(pdf_samples.hostile(change))
    assert message.startswith("The PDF contains scripts or attachments")
    assert named in message


def test_names_spelt_with_hex_escapes_are_decoded():
    data = pdf_samples.hex_escaped()
    assert b"/JavaScript" not in data
    assert b"/OpenAction" not in data
    message = refusal(data)
    assert "JavaScript" in message
    assert "(OpenAction)" in message


@pytest.mark.parametrize(
    "data",
    [pdf_samples.compressed_script(), pdf_samples.compressed_script_behind_a_plain_catalog()],
    ids=["catalog-packed", "catalog-plain"],
)
def test_javascript_in_a_compressed_object_stream_is_found(data):
    assert b"JavaScript" not in data
    assert "JavaScript" in refusal(data)


def test_an_encrypted_pdf_is_refused():
    assert "encrypted" in refusal(pdf_samples.hostile("encrypted"))


def test_each_kind_found_is_named_once():
    message = refusal(pdf_samples.compressed_script())
    assert message.count("JavaScript") == 1
    assert message.count("(OpenAction)") == 1


DAMAGED = {
    "junk": b"%PDF-1.7\n1 0 obj\n" + bytes(range(256)) * 4 + b"\nstartxref\n0\n%%EOF\n",
    "no-catalog": laid_out({1: b"42", **PAGES}, b"/Root 1 0 R"),
    "no-root": laid_out({1: b"<< /Type /Catalog /Pages 2 0 R >>", **PAGES}, b""),
    "deep-nesting": laid_out({1: b"[" * 50_000 + b"]" * 50_000, **PAGES}, b"/Root 1 0 R"),
    "broken-object-stream": in_object_stream(
        {1: b"<< /Type /Catalog /Pages 2 0 R >>"}, PAGES
    ).replace(zlib.compress(b"1 0\n<< /Type /Catalog /Pages 2 0 R >>\n")[:12], b"\0" * 12),
    "pages-loop": laid_out(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
        },
        b"/Root 1 0 R",
    ),
}


@pytest.mark.parametrize("data", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_pdf_is_refused_not_an_error(data):
    assert "cannot be read" in refusal(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_change_to_a_pdf_is_accepted_or_refused_never_an_error(data):
    """Bytes overwritten anywhere in a real PDF: the check answers, it never crashes."""
    original = bytearray(pdf_samples.compressed_script())
    at = data.draw(st.integers(0, len(original) - 1))
    patch = data.draw(st.binary(min_size=1, max_size=16))
    original[at : at + len(patch)] = patch
    refused = None
    try:
        check_pdf(bytes(original), LIMIT)
    except ValidationFailed as error:
        refused = error
    assert refused is None or refused.field == "document"


# Through the agreement's upload form, the one route that takes a PDF.


@pytest.fixture
def agreement(db, policy, own):
    return factories.make_sharing_agreement(db, policy, own)


def upload(client, agreement_id, data):
    return client.post(
        f"/sharing/agreements/{agreement_id}/documents",
        data={"document": (io.BytesIO(data), "signed.pdf")},
        content_type="multipart/form-data",
    )


@pytest.fixture
def small_uploads(app):
    # Werkzeug's test client leaves a large multipart body's temporary file open.
    policies = app.extensions["ig.policies"]
    small = dataclasses.replace(policies.sharing, upload_max_bytes=64 * 1024)
    app.extensions["ig.policies"] = policies.with_parts(sharing=small)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pdf_samples.hex_escaped(), b"JavaScript"),
        (pdf_samples.compressed_script(), b"JavaScript"),
        (pdf_samples.hostile("embedded_file"), b"(EmbeddedFile)"),
        (pdf_samples.hostile("encrypted"), b"encrypted"),
        (DAMAGED["pages-loop"], b"cannot be read"),
    ],
    ids=["hex-escaped", "object-stream", "attachment", "encrypted", "damaged"],
)
def test_the_upload_form_refuses_a_hostile_pdf(
    client, login_as, db, agreement, small_uploads, data, message
):
    login_as("ig_officer")
    db.commit()
    response = upload(client, agreement.id, data)
    assert response.status_code == 422
    assert message in response.data
    assert db.scalar(select(func.count()).select_from(AgreementDocument)) == 0


def test_the_upload_form_keeps_a_plain_pdf(client, login_as, db, agreement, small_uploads):
    login_as("ig_officer")
    db.commit()
    assert upload(client, agreement.id, pdf_samples.plain()).status_code == 302
    assert db.scalar(select(func.count()).select_from(AgreementDocument)) == 1
