"""risks_0001 on its own: upgraded with only the branches it depends on, the database
keeps scores on the matrix, and the downgrade removes the register's tables."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ig.migrations import downgrade, upgrade
from tests.risks.conftest import make_risk
from tests.test_migrations import scratch_engine  # noqa: F401 - the fixture

TABLES = {"risks", "risk_reviews", "risk_actions", "risk_incidents", "risk_dpias"}
TABLES |= {"risk_information_assets"}


def test_the_risk_register_migrates_alone_and_guards_the_matrix(scratch_engine):  # noqa: F811
    upgrade(scratch_engine, "risks@head")
    assert set(inspect(scratch_engine).get_table_names()) >= TABLES
    with Session(scratch_engine) as db:
        risk = make_risk(db)
        db.commit()
        risk.likelihood = 6  # past the service, straight to the table
        with pytest.raises(IntegrityError, match=r"(?i)check"):
            db.flush()
        db.rollback()
    downgrade(scratch_engine, "risks@base")
    assert not TABLES & set(inspect(scratch_engine).get_table_names())
    assert "incidents" in inspect(scratch_engine).get_table_names()  # its dependencies stay
