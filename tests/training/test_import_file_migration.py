"""training_0002: the files of open imports move from the instance folder into the
database, losing none, the upgrade can run again after a stop, and the downgrade writes
them back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ig.auth.rules import SYSTEM
from ig.migrations import UpgradeRefused, downgrade, upgrade
from ig.training.import_check import check_import
from ig.training.import_files import load_file
from ig.training.imports import apply_import, create_import, get_import
from ig.training.models import ImportFile, ImportKind, ImportStatus
from tests.factories import make_staff, make_team
from tests.test_migrations import scratch_engine  # noqa: F401 - the fixture

pytestmark = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index"
)
BEFORE = "training_0001"
CONTEXT = "training_import_files.data"
ROW = "b" * 32
TODAY = dt.date(2026, 11, 20)
CHECKED = b"Staff number,Name,Team,Start date\nN1,Nia Newcomer,Payroll,01/09/2025\n"
WAITING = b"Staff number,Name,Team,Start date\nN2,Noel Newcomer,Payroll,01/09/2025\n"
DECIDED = b"staff_number,course_code,completed_on\nP1,DSA,2026-01-05\n"


def stored_paths(engine: Engine) -> dict[int, str]:
    """Each import's recorded path, on the schema before this migration."""
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, stored_path FROM training_imports"))
        return {row.id: row.stored_path for row in rows}


def has_files_table(engine: Engine) -> bool:
    return "training_import_files" in inspect(engine).get_table_names()


@pytest.fixture
def uploaded(scratch_engine, keyring, policies) -> dict[int, bytes]:  # noqa: F811
    """Two open staff imports (one checked, one not yet) and one decided one, made on the
    current schema: the open ones' ids and bytes."""
    upgrade(scratch_engine)
    with Session(scratch_engine) as session:
        make_staff(session, make_team(session, name="Payroll"), staff_number="P1")
        checked = create_import(session, SYSTEM, ImportKind.STAFF, CHECKED, "hr.csv")
        check_import(session, checked, policies.training, TODAY)
        waiting = create_import(session, SYSTEM, ImportKind.STAFF, WAITING, "hr-2.xlsx")
        decided = create_import(session, SYSTEM, ImportKind.COMPLETIONS, DECIDED, "lms.csv")
        check_import(session, decided, policies.training, TODAY)
        apply_import(session, SYSTEM, decided, policies.training, TODAY)
        session.commit()
        assert checked.status is ImportStatus.CHECKED
        return {checked.id: CHECKED, waiting.id: WAITING}


def read_back(engine: Engine, files: dict[int, bytes]) -> dict[int, bytes]:
    with Session(engine) as session:
        return {i: load_file(session, get_import(session, i)) for i in files}


def test_the_downgrade_writes_the_files_back_and_the_upgrade_moves_them_all(
    scratch_engine,  # noqa: F811
    uploaded,
    tmp_path,
    policies,
):
    folder = tmp_path / "uploads"
    downgrade(scratch_engine, BEFORE, upload_dir=folder)
    assert not has_files_table(scratch_engine)
    paths = stored_paths(scratch_engine)
    assert {i: Path(paths[i]).read_bytes() for i in uploaded} == uploaded
    assert {Path(paths[i]).parent for i in uploaded} == {folder}
    assert Path(paths[max(uploaded)]).suffix == ".xlsx"  # as uploaded: named a workbook
    assert [path for i, path in paths.items() if i not in uploaded] == [""]  # decided

    upgrade(scratch_engine, upload_dir=folder)
    assert read_back(scratch_engine, uploaded) == uploaded
    with scratch_engine.connect() as connection:
        raw = connection.execute(text("SELECT data FROM training_import_files")).scalars().all()
    assert len(raw) == 2
    assert all(value.startswith("v2:") and "Newcomer" not in value for value in raw)
    assert "stored_path" not in {
        c["name"] for c in inspect(scratch_engine).get_columns("training_imports")
    }
    upgrade(scratch_engine, upload_dir=folder)  # up to date: nothing changes
    assert read_back(scratch_engine, uploaded) == uploaded

    with Session(scratch_engine) as session:  # the checked import is applied from the database
        job = apply_import(
            session, SYSTEM, get_import(session, min(uploaded)), policies.training, TODAY
        )
        assert job.message == "Imported: 1 added, 0 updated, 0 already on record."


@pytest.mark.parametrize(
    ("spoil", "says"),
    [
        (Path.unlink, "is missing"),
        (lambda path: path.write_bytes(b"Staff number\nX9\n"), "SHA-256 differs"),
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
    path = Path(stored_paths(scratch_engine)[second])
    spoil(path)
    if says == "cannot be read" and _readable(path):
        pytest.skip("this user reads files whatever their mode (root)")
    with pytest.raises(UpgradeRefused) as refused:
        upgrade(scratch_engine, upload_dir=folder)
    message = str(refused.value)
    assert says in message
    assert str(path) in message
    assert f"training import {second} ('hr-2.xlsx', checking)" in message
    assert "nothing has been changed" in message
    # Nothing was changed: the files stay where they are and the schema is as it was.
    assert not has_files_table(scratch_engine)
    assert stored_paths(scratch_engine)[second] == str(path)

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


def test_a_run_that_stopped_part_way_passes_over_the_files_already_moved(
    scratch_engine,  # noqa: F811
    uploaded,
    tmp_path,
    keyring,
):
    folder = tmp_path / "uploads"
    downgrade(scratch_engine, BEFORE, upload_dir=folder)
    first = min(uploaded)
    # As a run that stopped after moving the first file would have left it.
    with scratch_engine.begin() as connection:
        ImportFile.__table__.create(connection)
        connection.execute(
            text(
                "INSERT INTO training_import_files (import_id, row_key, data) "
                "VALUES (:id, :key, :data)"
            ),
            {"id": first, "key": ROW, "data": keyring.encrypt_bytes(uploaded[first], CONTEXT, ROW)},
        )
    Path(stored_paths(scratch_engine)[first]).unlink()  # not read again
    upgrade(scratch_engine, upload_dir=folder)
    assert read_back(scratch_engine, uploaded) == uploaded


def test_open_imports_need_the_upload_folder_to_move(scratch_engine, uploaded, tmp_path):  # noqa: F811
    downgrade(scratch_engine, BEFORE, upload_dir=tmp_path / "uploads")
    with pytest.raises(UpgradeRefused, match=r"ig init"):
        upgrade(scratch_engine)
    assert not has_files_table(scratch_engine)


def test_no_open_imports_need_no_folder(scratch_engine, keyring):  # noqa: F811
    upgrade(scratch_engine, BEFORE)
    upgrade(scratch_engine)
    assert has_files_table(scratch_engine)
    downgrade(scratch_engine, BEFORE)
    assert not has_files_table(scratch_engine)
