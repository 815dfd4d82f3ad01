"""Migrations: from nothing to every head and back, and the models match the migrations.

Each run uses a fresh scratch database (a file for SQLite, ``<test database>_mig`` on
PostgreSQL), so this checks every feature's migrations from an empty start.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, MetaData, String, Table, create_engine, insert, inspect, text
from sqlalchemy.engine import Engine, make_url

from ig.db import make_engine, utcnow
from ig.migrations import UpgradeRefused, downgrade, upgrade
from ig.migrations.name_search import is_name_search_index
from ig.models import Base
from tests.conftest import POSTGRES_URL


@pytest.fixture
def scratch_engine(backend: str, tmp_path, keyring) -> Iterator[Engine]:
    """An engine on an empty database of its own, dropped afterwards."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'migrations.sqlite3'}")
        yield engine
        engine.dispose()
        return
    url = make_url(POSTGRES_URL)
    name = f"{url.database}_mig"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    drop()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(url.set(database=name).render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        drop()
        admin.dispose()


def _name(item: Any) -> str:
    if isinstance(item, Table):
        return f"table {item.name}"
    if isinstance(item, Column):
        return f"column {item.table.name}.{item.name} {item.type!r}"
    table = getattr(item, "table", None)
    if table is not None and hasattr(item, "name"):
        columns = ", ".join(column.name for column in getattr(item, "columns", []))
        return f"{type(item).__name__} {item.name} on {table.name}({columns})"
    return repr(item)


def _empty(item: Any) -> bool:
    # Schema objects overload ==, so emptiness is tested by type, not by comparison.
    return item is None or (isinstance(item, (dict, str)) and not item)


def describe(difference: Any) -> str:
    """One line per difference that compare_metadata found, naming table and column."""
    if isinstance(difference, list):
        return "\n".join(describe(item) for item in difference)
    kind, *details = difference
    shown = [_name(item) for item in details if not _empty(item)]
    return f"  {kind}: " + "; ".join(shown)


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def index_names(engine: Engine, table: str) -> set[str]:
    """The table's index names as the database lists them, expression indexes included."""
    if engine.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :table"
    else:
        query = "SELECT indexname FROM pg_indexes WHERE tablename = :table"
    with engine.connect() as connection:
        return set(connection.scalars(text(query), {"table": table}))


def _declared(item: Any, name: str | None, kind: str, reflected: bool, _other: Any) -> bool:
    # The pickers' name-search indexes (ig/migrations/name_search.py) are the migrations'
    # alone: their operator classes are PostgreSQL's, and the trigram ones exist only
    # where pg_trgm could be created. tests/people/test_name_search_indexes.py checks them.
    return not (kind == "index" and reflected and name and is_name_search_index(name))


def schema_differences(engine: Engine, metadata: MetaData = Base.metadata) -> list[Any]:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": _declared}
        )
        return list(compare_metadata(context, metadata))


def altered_models() -> MetaData:
    """A copy of the models with one column added and one type changed."""
    copy = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(copy)
    copy.tables["users"].append_column(Column("nickname", String(40)))
    copy.tables["users"].c.name.type = String(10)
    return copy


# SQLite cannot reflect an index on expressions, so there the comparison leaves out the
# one such index (teams' names among their siblings) and the test checks it by name.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_upgrade_from_empty_matches_the_models_and_downgrades_to_nothing(scratch_engine):
    assert table_names(scratch_engine) == set()

    upgrade(scratch_engine)
    assert table_names(scratch_engine) == {*Base.metadata.tables, "alembic_version"}
    assert "uq_teams_parent_name" in index_names(scratch_engine, "teams")
    differences = schema_differences(scratch_engine)
    assert not differences, (
        "The models (ig/*/models.py) and the migrations (ig/migrations/versions/) differ; "
        "fix the migration so that it creates exactly what the model declares:\n"
        + "\n".join(describe(difference) for difference in differences)
    )

    # The check itself sees a missing column and a changed type.
    found = describe(schema_differences(scratch_engine, altered_models()))
    assert "add_column" in found
    assert "column users.nickname" in found
    assert "modify_type" in found

    upgrade(scratch_engine)  # upgrading an up-to-date database changes nothing
    assert schema_differences(scratch_engine) == []

    downgrade(scratch_engine)
    assert table_names(scratch_engine) == {"alembic_version"}
    if scratch_engine.dialect.name == "postgresql":
        assert inspect(scratch_engine).get_sequence_names() == []
    with scratch_engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert versions == []


def test_describe_names_what_differs():
    users = Base.metadata.tables["users"]
    text_out = describe(
        [
            ("add_table", users),
            ("remove_column", None, "users", users.c.email),
            [("modify_nullable", None, "users", "name", {}, True, False)],
        ]
    )
    assert "add_table: table users" in text_out
    assert "remove_column: 'users'; column users.email" in text_out
    assert "modify_nullable: 'users'; 'name'; True; False" in text_out


def _add_teams(engine: Engine, *names: str) -> None:
    stamp = {"kind": "team", "version": 1, "created_at": utcnow(), "updated_at": utcnow()}
    rows = [{"id": n, "name": name, "path": f"/{n}/", **stamp} for n, name in enumerate(names, 1)]
    with engine.begin() as connection:
        connection.execute(insert(Base.metadata.tables["teams"]), rows)


# The downgrade copies incidents on SQLite, reflecting teams, whose expression index
# SQLAlchemy cannot reflect there (it belongs to teams, so nothing is lost).
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_teams_sharing_a_name_stop_the_upgrade_with_what_to_rename(scratch_engine):
    upgrade(scratch_engine, "0003")
    _add_teams(scratch_engine, "East Duty", "EAST DUTY", "West")
    before = table_names(scratch_engine)
    with pytest.raises(UpgradeRefused, match="2 teams called 'east duty' at the top"):
        upgrade(scratch_engine)
    # The whole upgrade is one transaction: the other features' tables were not left.
    assert table_names(scratch_engine) == before
    assert "uq_teams_parent_name" not in index_names(scratch_engine, "teams")
    with scratch_engine.begin() as connection:
        connection.execute(text("UPDATE teams SET name = 'East Duty 2' WHERE id = 2"))
    upgrade(scratch_engine)
    assert "uq_teams_parent_name" in index_names(scratch_engine, "teams")
    downgrade(scratch_engine)


def test_ig_init_reports_a_refused_upgrade(tmp_path, backend):
    if backend != "sqlite":
        pytest.skip("the command's handling is the same on either database")
    database = tmp_path / "ig.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine, "0003")
    _add_teams(engine, "Fostering", "fostering")
    engine.dispose()
    result = subprocess.run(  # noqa: S603 - our own console script
        [str(Path(sys.executable).parent / "ig"), "init"],
        env={
            "PATH": os.environ.get("PATH", ""),
            "IG_INSTANCE_PATH": str(tmp_path),
            "IG_DATABASE_URL": f"sqlite:///{database}",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "The database was not upgraded: Some teams share a name" in result.stderr
    assert "Traceback" not in result.stderr
    assert "uq_teams_parent_name" not in index_names(engine, "teams")


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_agreements_whose_dpia_reference_names_a_register_dpia_are_linked(scratch_engine, policies):
    """dpia_0002: the free text names a DPIA by number or title: linked, text kept."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from ig.dpia.models import dpia_sharing_agreements
    from ig.sharing.models import Agreement
    from tests.dpia.conftest import make_dpia, officer
    from tests.factories import make_organisation, make_sharing_agreement

    upgrade(scratch_engine)
    downgrade(scratch_engine, "dpia_0001")
    assert "dpia_information_assets" not in table_names(scratch_engine)
    with Session(scratch_engine) as db:
        by = officer(db)
        trial = make_dpia(db, policies.dpia, by, title="AI transcription trial")
        make_dpia(db, policies.dpia, by, title="Twice")
        make_dpia(db, policies.dpia, by, title="twice")
        own = make_organisation(db, name="Eastmere Council", is_self=True)
        texts = [f"DPIA-{trial:04d}", "ai transcription TRIAL", "Twice", "NHS-DPIA-77", ""]
        made = [
            make_sharing_agreement(db, policies.sharing, own, dpia_reference=text).id
            for text in texts
        ]
        db.commit()
    upgrade(scratch_engine)
    with Session(scratch_engine) as db:
        links = set(db.execute(select(*dpia_sharing_agreements.c["dpia_id", "agreement_id"])).all())
        kept = db.scalars(select(Agreement.dpia_reference).order_by(Agreement.id)).all()
    assert links == {(trial, made[0]), (trial, made[1])}  # not the ambiguous nor the partner's
    assert kept == texts  # no text lost
    downgrade(scratch_engine)
