"""The large organisation the training benchmark measures: 600 teams, 20,000 staff,
10 courses and 400,000 completions, generated reproducibly from a seed."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from ig.auth.models import User, UserRole
from ig.people.models import Staff, Team, TeamManager
from ig.settings import PROJECT_ROOT
from ig.training.models import Completion

TODAY = dt.date(2026, 11, 20)
TEAMS = 600
STAFF = 20_000
COMPLETIONS = 400_000
LARGE_TEAM = 67  # the first team under the first service: 2,000 staff
TYPICAL_TEAM = 100
JOB_TITLES = [
    "Social Worker",
    "Senior Social Worker",
    "Team Manager",
    "Business Support Officer",
    "Occupational Therapist",
    "Care Assistant",
    "Finance Officer",
    "Service Manager",
]
EXTRA_COURSES = """
[courses.FRD]
title = "Fraud awareness"
valid_months = 24
new_starter_days = 90
audience = "everyone"

[courses.SAF]
title = "Safeguarding adults"
valid_months = 36
new_starter_days = 90
audience = "everyone"

[courses.SFC]
title = "Safeguarding children"
valid_months = 36
new_starter_days = 90
audience = "everyone"

[courses.EQD]
title = "Equality and diversity"
valid_months = 36
new_starter_days = 90
audience = "everyone"
"""


def policies_dir() -> Path:
    """A copy of policies/ whose training.toml has ten courses."""
    target = Path(tempfile.mkdtemp(prefix="ig-bench-policies-"))
    for source in (PROJECT_ROOT / "policies").glob("*.toml"):
        shutil.copy(source, target / source.name)
    with (target / "training.toml").open("a", encoding="utf-8") as handle:
        handle.write(EXTRA_COURSES)
    return target


def _teams() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for d in range(1, 7):  # 6 directorates
        rows.append(
            {
                "id": d,
                "name": f"Directorate {d}",
                "kind": "directorate",
                "parent_id": None,
                "path": f"/{d}/",
            }
        )
    for s in range(7, 67):  # 60 services, 10 per directorate
        parent = 1 + (s - 7) // 10
        rows.append(
            {
                "id": s,
                "name": f"Service {s}",
                "kind": "service",
                "parent_id": parent,
                "path": f"/{parent}/{s}/",
            }
        )
    for t in range(67, TEAMS + 1):  # 534 teams under the services
        parent = 7 + (t - 67) % 60
        grand = 1 + (parent - 7) // 10
        rows.append(
            {
                "id": t,
                "name": f"Team {t}",
                "kind": "team",
                "parent_id": parent,
                "path": f"/{grand}/{parent}/{t}/",
            }
        )
    return rows


def _staff(rng: random.Random) -> list[dict[str, object]]:
    rows = []
    for n in range(1, STAFF + 1):
        team = LARGE_TEAM if n <= 2000 else rng.randint(68, TEAMS)
        started = TODAY - dt.timedelta(days=rng.randint(0, 15 * 365))
        left = TODAY - dt.timedelta(days=rng.randint(1, 300)) if rng.random() < 0.05 else None
        rows.append(
            {
                "id": n,
                "staff_number": f"E{n:06d}",
                "name": f"Person {n:05d}",
                "work_email": f"person{n}@eastmere.example",
                "team_id": team,
                "job_title": rng.choice(JOB_TITLES),
                "started_on": started,
                "left_on": left if left and left > started else None,
                "version": 1,
            }
        )
    return rows


def _completions(rng: random.Random, codes: list[str]) -> list[dict[str, object]]:
    rows = []
    per_person = COMPLETIONS // STAFF  # 20: the courses in turn, the first of each recent
    for staff_id in range(1, STAFF + 1):
        taken: set[tuple[str, int]] = set()  # a course is completed at most once a day
        for index in range(per_person):
            code = codes[index % len(codes)]
            age = rng.randint(0, 540) if index < len(codes) else rng.randint(541, 1500)
            while (code, age) in taken:
                age += 1
            taken.add((code, age))
            done = TODAY - dt.timedelta(days=age)
            recorded = dt.datetime.combine(done, dt.time(12), dt.UTC) + dt.timedelta(
                days=rng.randint(0, 10)
            )
            rows.append(
                {
                    "staff_id": staff_id,
                    "course_code": code,
                    "completed_on": done,
                    "source": "import",
                    "recorded_at": recorded,
                }
            )
    return rows


def build(engine: Engine, codes: list[str], seed: int = 20261120) -> dict[str, int]:
    """Fill an empty, migrated database; returns the user ids of the benchmark's people."""
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    now = dt.datetime.now(dt.UTC)
    stamps = {"version": 1, "created_at": now, "updated_at": now}
    users = {"ig": 1, "manager": 2, "large_manager": 3}
    with engine.begin() as connection:
        for name, user_id in users.items():
            connection.execute(
                insert(User),
                [
                    {
                        "id": user_id,
                        "email": f"{name}@bench.example",
                        "name": name,
                        "password_hash": "x",
                        "is_active": True,
                        "password_changed_at": now,
                        **stamps,
                    }
                ],
            )
        connection.execute(
            insert(UserRole),
            [
                {"user_id": 1, "role": "ig_officer"},
                {"user_id": 2, "role": "manager"},
                {"user_id": 3, "role": "manager"},
            ],
        )
        connection.execute(insert(Team), [{**row, **stamps} for row in _teams()])
        connection.execute(
            insert(TeamManager),
            [
                {"team_id": TYPICAL_TEAM, "user_id": 2},
                {"team_id": LARGE_TEAM, "user_id": 3},
            ],
        )
        connection.execute(insert(Staff), [{**row, **stamps} for row in _staff(rng)])
        rows = _completions(rng, codes)
        for start in range(0, len(rows), 20_000):
            connection.execute(insert(Completion), rows[start : start + 20_000])
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
            for table in ("teams", "staff", "users"):  # fixed names, not input
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"
                )
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    return users
