"""The load benchmark's own pieces (benchmarks/load.py): its figures, its targets, the
floor app's page sizes and the binding of generated rows to their encrypted columns."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random

import pytest

from benchmarks import _training_data
from benchmarks._bound_rows import bound
from benchmarks._floor import create_floor
from benchmarks._load_report import Row, misses, percentile, stats
from ig.encrypted import Bound
from ig.incidents.models import Incident
from ig.people.models import Team


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([5.0], 50, 5.0),
        ([5.0], 95, 5.0),
        ([3.0, 1.0, 2.0], 50, 2.0),
        ([float(n) for n in range(1, 101)], 95, 95.0),
        ([float(n) for n in range(1, 21)], 95, 19.0),
        ([float(n) for n in range(1, 21)], 100, 20.0),
        ([1.0, 2.0, 3.0, 4.0], 50, 2.0),
    ],
)
def test_percentile_is_the_nearest_rank(values, q, expected):
    assert percentile(values, q) == expected


def test_percentile_of_nothing_is_refused():
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)


def test_stats_give_median_p95_rate_and_median_size():
    p50, p95, rps, size = stats([10.0, 20.0, 30.0, 40.0], [100, 300, 200, 300], wall_s=2.0)
    assert (p50, p95, rps, size) == (20.0, 40.0, 2.0, 250)


def test_stats_of_a_run_where_every_request_failed():
    p50, p95, rps, size = stats([], [], wall_s=1.0)
    assert math.isnan(p50)
    assert math.isnan(p95)
    assert (rps, size) == (0.0, 0)


def _row(**change: object) -> Row:
    base = Row(
        page="p", clients=10, requests=20, p50_ms=5.0, p95_ms=40.0, rps=100.0, bytes=50_000,
        errors=0, floor_p95_ms=5.0, floor_rps=1000.0, is_html=True, is_frequent=False,
    )  # fmt: skip
    return dataclasses.replace(base, **change)  # type: ignore[arg-type]


def test_ratio_is_p95_over_the_floor_p95():
    assert _row().ratio == 8.0
    assert _row(floor_p95_ms=0.0).ratio == math.inf


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, []),  # 8x at 10 clients: within 10x
        ({"p95_ms": 55.0}, ["ratio>10x"]),
        ({"is_frequent": True}, ["ratio>5x"]),  # home, first pages, a record: 5x
        ({"is_frequent": True, "p95_ms": 25.0}, []),
        ({"clients": 1, "p95_ms": 500.0}, []),  # ratios count at 10 clients only
        ({"clients": 50, "p95_ms": 290.0, "floor_p95_ms": 1.0}, []),
        ({"clients": 50, "p95_ms": 310.0}, ["p95>300ms"]),
        ({"clients": 10, "p95_ms": 310.0, "floor_p95_ms": 100.0}, []),  # 300 ms: at 50
        ({"errors": 1}, ["errors"]),
        ({"bytes": 100_001}, [">100KB"]),
        ({"bytes": 100_001, "is_html": False}, []),  # an API list is not HTML
        ({"bytes": 150_000, "errors": 2, "p95_ms": 60.0}, ["ratio>10x", "errors", ">100KB"]),
    ],
)
def test_misses_names_each_target_missed(change, expected):
    assert misses(_row(**change)) == expected


@pytest.mark.parametrize("size", [0, 1, 10, 35, 36, 37, 4_096, 321_000])
def test_the_floor_serves_a_page_of_exactly_the_size_asked(size):
    client = create_floor().test_client()
    response = client.get(f"/{size}")
    assert response.status_code == 200
    assert len(response.get_data()) == size
    assert response.headers["Content-Length"] == str(size)
    assert response.mimetype == "text/html"


def test_the_floor_refuses_a_page_over_its_limit():
    assert create_floor().test_client().get("/10000001").status_code == 404


def test_bound_rows_carry_a_row_key_and_every_encrypted_value_bound_to_it():
    [row] = bound(Incident, [{"id": 1, "narrative": "Letter misdirected"}])
    assert isinstance(row["narrative"], Bound)
    assert row["narrative"] == "Letter misdirected"
    assert row["narrative"].row_key == row["row_key"]
    assert isinstance(row["others_told"], Bound)  # a column left to its default
    assert row["others_told"].row_key == row["row_key"]
    assert row["consequences"] is None  # nullable with no default: stored as NULL


def test_bound_rows_keep_a_given_row_key_and_leave_plain_tables_alone():
    [row] = bound(Incident, [{"id": 1, "row_key": "a" * 32, "narrative": "x"}])
    assert row["narrative"].row_key == "a" * 32
    rows = [{"id": 1, "name": "Team 1"}]
    assert bound(Team, rows) is rows


STAFF = 40  # enough for access in every state, from the generator's fixed seed


def test_the_registers_generator_fills_every_register_over_the_people_there(keyring, tmp_path):
    """_registers_data adds issue 17's registers to a database of users, staff and
    organisations; what it writes reads back through the registers' own services."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from benchmarks import _registers_data
    from ig.access.models import AccessRequest
    from ig.assets.service import get_asset
    from ig.contracts.models import ProcessorContract
    from ig.db import make_engine
    from ig.features import load_policies
    from ig.migrations import upgrade
    from ig.settings import PROJECT_ROOT
    from tests import factories

    engine = make_engine(f"sqlite:///{tmp_path / 'registers.db'}")
    upgrade(engine)
    with Session(engine) as session:
        owner = factories.make_user(session, roles=("ig_officer",))
        team = factories.make_team(session)
        for _ in range(STAFF):
            factories.make_staff(session, team=team)
        factories.make_organisation(session)
        session.commit()
        owner_id = owner.id
    policies = load_policies(PROJECT_ROOT / "policies")
    made = _registers_data.build(engine, policies, dt.date(2026, 12, 7))
    assert made["access grants"] == STAFF * _registers_data.GRANTS_EACH
    with Session(engine) as session:
        asset = get_asset(session, 1)
        assert (asset.description, asset.owner_user_id) == ("Benchmark asset 1", owner_id)
        statuses = session.scalars(select(AccessRequest.status).distinct()).all()
        assert {status.value for status in statuses} == {
            "requested",
            "approved",
            "granted",
            "removed",
        }  # fmt: skip  (rows of every shape go in together)
        contracts = session.scalar(select(func.count(ProcessorContract.id)))
        assert contracts == _registers_data.CONTRACTS
    engine.dispose()


def test_every_generated_access_row_names_the_same_columns():
    """The grants go in as one executemany, which PostgreSQL's driver refuses when a row
    leaves out a column another row gives (removed ones carry removed_on, say)."""
    import random

    from benchmarks._registers_data import _grant

    rng = random.Random(17)
    now = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)
    rows = [_grant(rng, ["read"], (1, 2), n, now.date(), now) for n in range(500)]
    assert len({row["status"] for row in rows}) == 4
    assert len({frozenset(row) for row in rows}) == 1


def test_generated_completions_fit_the_one_a_day_rule_for_the_policys_courses(policies):
    """The training table allows one completion of a course a day per person: the
    generator must keep to it whatever number of courses the policy lists."""
    codes = list(policies.training.courses)
    rows = _training_data._completions(random.Random(1), codes)
    assert len(rows) == _training_data.COMPLETIONS
    keys = {(row["staff_id"], row["course_code"], row["completed_on"]) for row in rows}
    assert len(keys) == len(rows)
