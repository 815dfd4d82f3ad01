"""An import's file is kept in the database, encrypted in its row and within a size limit,
read back verified, dropped once the import is decided, and never written to the disk of
the app server that received it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from ig.auth.rules import SYSTEM
from ig.errors import ValidationFailed
from ig.training import import_files
from ig.training.import_check import check_import
from ig.training.import_files import load_file, read_upload
from ig.training.import_rows import FileRejected
from ig.training.imports import apply_import, create_import, discard_import
from ig.training.models import ImportKind, ImportStatus, TrainingImport
from tests.factories import make_staff, make_team
from tests.training.test_imports import cli  # noqa: F401 - the fixture

TODAY = dt.date(2026, 11, 20)
CANARY = "Qzcanary Uploaded-Person"
STAFF_CSV = f"Staff number,Name,Team,Start date\nN1,{CANARY},Payroll,01/09/2025\n".encode()


@pytest.fixture
def payroll(db):
    team = make_team(db, name="Payroll")
    make_staff(db, team, staff_number="P1")
    return team


def stored(db) -> dict[int, str]:
    """Each import's stored file as the raw table holds it, by import id."""
    rows = db.execute(text("SELECT import_id, data FROM training_import_files")).all()
    return {row.import_id: row.data for row in rows}


def files_under(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def staff_import(db, data=STAFF_CSV, name="hr.csv"):
    return create_import(db, SYSTEM, ImportKind.STAFF, data, name)


def test_the_file_is_stored_encrypted_and_read_back_as_uploaded(db, payroll):
    job = staff_import(db)
    raw = stored(db)[job.id]
    assert raw.startswith("v2:")
    assert "Qzcanary" not in raw
    assert "Payroll" not in raw
    assert load_file(db, job) == STAFF_CSV


def test_a_file_moved_to_another_import_fails_its_check(db, policies, payroll):
    first = staff_import(db)
    second = staff_import(db, STAFF_CSV.replace(b"N1", b"N2"), "other.csv")
    db.execute(
        text("UPDATE training_import_files SET data = :data WHERE import_id = :id"),
        {"data": stored(db)[first.id], "id": second.id},
    )
    with pytest.raises(FileRejected, match="has changed since it was uploaded"):
        load_file(db, second)
    check_import(db, second, policies.training, TODAY)
    assert second.status is ImportStatus.FAILED
    assert second.message == (
        "The file cannot be imported: the stored file has changed since it was uploaded: "
        "upload it again."
    )
    assert second.id not in stored(db)  # a failed import's file is not kept


@pytest.mark.parametrize("decision", ["apply", "discard"])
def test_a_decided_import_keeps_no_file(db, policies, payroll, decision):
    job = check_import(db, staff_import(db), policies.training, TODAY)
    assert job.status is ImportStatus.CHECKED
    assert job.id in stored(db)
    if decision == "apply":
        apply_import(db, SYSTEM, job, policies.training, TODAY)
        assert job.status is ImportStatus.IMPORTED
    else:
        discard_import(db, SYSTEM, job)
    assert stored(db) == {}
    with pytest.raises(FileRejected, match="no longer kept"):
        load_file(db, job)


@pytest.mark.parametrize("size", [0, 99, 100])
def test_a_file_within_the_limit_is_read_whole(monkeypatch, size):
    monkeypatch.setattr(import_files, "MAX_BYTES", 100)
    monkeypatch.setattr(import_files, "BLOCK", 7)
    assert read_upload(io.BytesIO(b"x" * size)) == b"x" * size


def test_a_file_over_the_limit_is_refused_without_reading_it_all(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_BYTES", 100)
    stream = io.BytesIO(b"x" * 1000)
    with pytest.raises(ValidationFailed) as refused:
        read_upload(stream)
    assert refused.value.field == "file"
    assert "The file is larger than 32 MB: split it into smaller files" in refused.value.message
    assert stream.tell() == 101


def imports(db) -> int:
    return db.scalar(select(func.count()).select_from(TrainingImport)) or 0


def test_the_upload_page_refuses_a_file_over_the_limit(client, login_as, db, monkeypatch):
    monkeypatch.setattr(import_files, "MAX_BYTES", 10)
    login_as("administrator")
    db.commit()
    data = {"file": (io.BytesIO(STAFF_CSV), "hr.csv")}
    response = client.post("/people/imports/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "The file is larger than 32 MB" in response.get_data(as_text=True)
    assert imports(db) == 0


def test_the_command_refuses_a_file_over_the_limit(cli, db, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(import_files, "MAX_BYTES", 10)
    path = tmp_path / "hr.csv"
    path.write_bytes(STAFF_CSV)
    result = cli("import-staff", path)
    assert result.exit_code == 1
    assert "Not imported: The file is larger than 32 MB" in result.output
    assert imports(db) == 0


def test_an_upload_writes_nothing_under_the_instance_folder(app, client, login_as, db, payroll):
    instance = app.extensions["ig.settings"].instance_path
    before = files_under(instance)
    login_as("administrator")
    db.commit()
    data = {"file": (io.BytesIO(STAFF_CSV), "hr.csv")}
    response = client.post("/people/imports/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    job = db.scalars(select(TrainingImport)).one()
    assert job.status is ImportStatus.CHECKED
    assert job.id in stored(db)  # checked from the database
    assert files_under(instance) == before
    decided = client.post(response.headers["Location"], data={"apply": "y"})
    assert "Imported: 1 added" in client.get(decided.headers["Location"]).get_data(as_text=True)
    assert files_under(instance) == before
    assert not (instance / "uploads").exists()


def test_the_import_command_writes_nothing_under_the_instance_folder(
    app,
    cli,  # noqa: F811
    db,
    tmp_path,
    payroll,
):
    instance = app.extensions["ig.settings"].instance_path
    before = files_under(instance)
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "hr.csv").write_bytes(STAFF_CSV)
    result = cli("import-staff", exports / "hr.csv")
    assert result.exit_code == 0, result.output
    assert "Imported: 1 added" in result.output
    assert files_under(instance) == before
    assert not (instance / "uploads").exists()
    assert stored(db) == {}  # imported: its file is no longer kept
