"""On PostgreSQL the pickers' search is served by indexes on lower(name) (migrations
people_0001 and auth_0001, ig/migrations/name_search.py); SQLite has none."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select, text

from ig.people import pickers
from ig.people.models import Organisation, OrganisationKind
from tests.test_migrations import index_names

EXPECTED = {
    "organisations": {"ix_organisations_lower_name"},
    "teams": {"ix_teams_lower_name"},
    "users": {"ix_users_lower_name", "ix_users_lower_email"},
}


@pytest.mark.parametrize("table", sorted(EXPECTED))
def test_names_are_indexed_in_lower_case(engine, table):
    found = index_names(engine, table)
    if engine.dialect.name != "postgresql":
        assert not {name for name in found if "_lower_" in name}
        return
    assert EXPECTED[table] <= found
    with engine.connect() as connection:
        trigrams = connection.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"))
    if trigrams:
        assert {f"{name}_trgm" for name in EXPECTED[table]} <= found


def _plan(db, statement) -> str:
    """The plan, with sequential scans priced out: the table is small, so this asks
    whether an index can serve the search, not whether it is worth it yet."""
    db.execute(text("SET LOCAL enable_seqscan = off"))
    compiled = statement.compile(db.get_bind(), compile_kwargs={"render_postcompile": True})
    rows = db.connection().exec_driver_sql(f"EXPLAIN {compiled}", compiled.params)
    return "\n".join(row[0] for row in rows)


def test_postgresql_uses_the_indexes_for_exact_and_containing_names(db, backend):
    if backend != "postgresql":
        pytest.skip("the plans are PostgreSQL's")
    db.execute(
        insert(Organisation),
        [
            {"name": f"Partner trust {i:05d}", "kind": OrganisationKind.PROVIDER}
            for i in range(5000)
        ],
    )
    db.execute(text("ANALYZE organisations"))
    kind = pickers.ORGANISATIONS
    exact = select(kind.id).where(pickers._exact(kind, "partner trust 00042"))
    assert "ix_organisations_lower_name" in _plan(db, exact)
    trigrams = db.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"))
    if trigrams:
        containing = select(kind.id).where(pickers._containing(kind, "trust 0004"))
        assert "ix_organisations_lower_name_trgm" in _plan(db, containing)
