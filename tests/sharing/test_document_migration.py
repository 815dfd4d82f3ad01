"""sharing_0004: agreement PDFs move from the instance folder into the database, losing
none, and the downgrade writes them back."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfWriter
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ig.migrations import UpgradeRefused, downgrade, upgrade
from ig.sharing import documents
from ig.sharing.models import DocumentContent
from tests import factories
from tests.sharing import pdf_samples
from tests.sharing.conftest import NOW, OFFICER
from tests.test_migrations import scratch_engine  # noqa: F401 - the fixture

pytestmark = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index"
)
BEFORE = "sharing_0003"
LIMIT = 1024 * 1024
CONTEXT = "sharing_document_contents.data"
ROW = "a" * 32


def pdf(title: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": title})
    return pdf_samples.written(writer)


def stored_names(engine: Engine) -> dict[int, str]:
    """Each document's file name, once the downgrade has written the files back."""
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, stored_name FROM sharing_agreement_documents"))
        return {row.id: row.stored_name for row in rows}


@pytest.fixture
def uploaded(scratch_engine, keyring, policies) -> dict[int, bytes]:  # noqa: F811
    """Two documents uploaded on the current schema: their ids and bytes."""
    upgrade(scratch_engine)
    with Session(scratch_engine) as session:
        own = factories.make_organisation(session, name="Eastmere Council", is_self=True)
        agreement = factories.make_sharing_agreement(session, policies.sharing, own)
        files = {}
        for title in ("First agreement", "Second agreement"):
            data = pdf(title)
            document = documents.store_document(
                session, OFFICER, agreement, f"{title}.pdf", data, LIMIT, NOW
            )
            files[document.id] = data
        session.commit()
    return files


def read_back(engine: Engine, files: dict[int, bytes]) -> dict[int, bytes]:
    with Session(engine) as session:
        return {i: documents.open_document(session, OFFICER, i)[1] for i in files}


def test_the_downgrade_writes_the_files_back_and_the_upgrade_moves_them_all(
    scratch_engine,  # noqa: F811
    uploaded,
    tmp_path,
):
    folder = tmp_path / "uploads"
    downgrade(scratch_engine, BEFORE, upload_dir=folder)
    assert "sharing_document_contents" not in inspect(scratch_engine).get_table_names()
    names = stored_names(scratch_engine)
    assert {i: (folder / "sharing" / n).read_bytes() for i, n in names.items()} == uploaded
    assert all(len(name) == 32 for name in names.values())

    upgrade(scratch_engine, upload_dir=folder)
    assert read_back(scratch_engine, uploaded) == uploaded
    with scratch_engine.connect() as connection:
        raw = connection.execute(text("SELECT data FROM sharing_document_contents")).scalars()
        assert all(value.startswith("v2:") and "%PDF" not in value for value in raw)
    upgrade(scratch_engine, upload_dir=folder)  # up to date: nothing changes
    assert read_back(scratch_engine, uploaded) == uploaded


@pytest.mark.parametrize(
    ("spoil", "says"),
    [
        (Path.unlink, "is missing"),
        (lambda path: path.write_bytes(pdf("Altered")), "SHA-256 differs"),
        (lambda path: path.chmod(0), "cannot be read"),
    ],
    ids=["missing", "changed", "unreadable"],
)
def test_a_file_that_cannot_be_moved_stops_the_upgrade_naming_it(
    scratch_engine,  # noqa: F811
    uploaded,
    tmp_path,
    spoil,
    says,
):
    folder = tmp_path / "uploads"
    downgrade(scratch_engine, BEFORE, upload_dir=folder)
    second = max(uploaded)
    path = folder / "sharing" / stored_names(scratch_engine)[second]
    spoil(path)
    if says == "cannot be read" and _readable(path):
        pytest.skip("this user reads files whatever their mode (root)")
    with pytest.raises(UpgradeRefused) as refused:
        upgrade(scratch_engine, upload_dir=folder)
    message = str(refused.value)
    assert says in message
    assert str(path) in message
    assert f"document {second} ('Second agreement.pdf')" in message
    # Nothing was changed: the files stay where they are and the schema is as it was.
    assert "sharing_document_contents" not in inspect(scratch_engine).get_table_names()
    assert stored_names(scratch_engine)[second] == path.name

    path.unlink(missing_ok=True)
    path.write_bytes(uploaded[second])  # restored from a backup
    upgrade(scratch_engine, upload_dir=folder)
    assert read_back(scratch_engine, uploaded) == uploaded


def _readable(path: Path) -> bool:
    try:
        path.read_bytes()
    except OSError:
        return False
    return True


def test_a_run_that_stopped_part_way_passes_over_the_documents_already_moved(
    scratch_engine,  # noqa: F811
    uploaded,
    tmp_path,
    keyring,
):
    folder = tmp_path / "uploads"
    downgrade(scratch_engine, BEFORE, upload_dir=folder)
    first = min(uploaded)
    # As a run that stopped after moving the first document would have left it.
    with scratch_engine.begin() as connection:
        DocumentContent.__table__.create(connection)
        connection.execute(
            text(
                "INSERT INTO sharing_document_contents (document_id, row_key, data) "
                "VALUES (:id, :key, :data)"
            ),
            {"id": first, "key": ROW, "data": keyring.encrypt_bytes(uploaded[first], CONTEXT, ROW)},
        )
    (folder / "sharing" / stored_names(scratch_engine)[first]).unlink()  # not read again
    upgrade(scratch_engine, upload_dir=folder)
    assert read_back(scratch_engine, uploaded) == uploaded


def test_documents_need_the_upload_folder_to_move(scratch_engine, uploaded, tmp_path):  # noqa: F811
    downgrade(scratch_engine, BEFORE, upload_dir=tmp_path / "uploads")
    with pytest.raises(UpgradeRefused, match=r"ig init"):
        upgrade(scratch_engine)


def test_no_documents_need_no_folder(scratch_engine, keyring):  # noqa: F811
    upgrade(scratch_engine, BEFORE)
    upgrade(scratch_engine)
    assert "sharing_document_contents" in inspect(scratch_engine).get_table_names()
    downgrade(scratch_engine, BEFORE)
    assert "sharing_document_contents" not in inspect(scratch_engine).get_table_names()
