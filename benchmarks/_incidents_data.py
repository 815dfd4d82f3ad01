"""The incident register the benchmark measures: 100,000 incidents over five years, each
with two actions and four timeline entries, generated reproducibly from a seed."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from benchmarks._bound_rows import bound
from ig.auth.models import User, UserRole
from ig.crypto import get_keyring
from ig.incidents import rules
from ig.incidents.action_models import IncidentAction
from ig.incidents.involved_models import AffectedPerson
from ig.incidents.models import Incident
from ig.incidents.notification_models import Notification
from ig.incidents.policy import IncidentsPolicy
from ig.incidents.timeline_models import TimelineEntry
from ig.people.models import Team

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
TEAMS = 120
REPORTERS = 200
BATCH = 5_000
EVENTS = ("reported", "triaged", "graded", "closed")
OPEN = ("reported", "triaged", "investigating", "notified")


def _status(rng: random.Random, age_days: float) -> str:
    if age_days < 120 and rng.random() < 0.5:
        return rng.choice(OPEN)
    roll = rng.random()
    return "withdrawn" if roll < 0.03 else "duplicate" if roll < 0.05 else "closed"


def _incident(
    rng: random.Random, policy: IncidentsPolicy, number: int, types: list[str]
) -> dict[str, Any]:
    reported = NOW - dt.timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
    status = _status(rng, (NOW - reported).days)
    year = reported.year
    row: dict[str, Any] = {
        "id": number, "reference": f"INC-{year}-{number:06d}", "year": year, "sequence": number,
        "month": reported.strftime("%Y-%m"), "status": status, "kind": None,
        "incident_type": rng.choice(types), "occurred_at": reported - dt.timedelta(hours=6),
        "found_at": reported - dt.timedelta(hours=1), "reported_at": reported,
        "aware_at": None, "deadline_at": None, "first_notified_at": None,
        "hours_to_notify": None, "closed_at": None, "team_id": 1 + number % TEAMS,
        "reporter_id": 2 + number % REPORTERS, "owner_id": 1, "likelihood": None,
        "severity": None, "grading_version": None, "is_ico_notifiable": False,
        "is_dhsc_notifiable": False, "is_vulnerable": rng.random() < 0.2,
        "is_confidentiality": True, "narrative": f"Benchmark incident {number}: letter misdirected",
        "data_categories": ["basic_identifiers"], "people_categories": ["service_users"],
        "people_count": rng.randrange(1, 200),
    }  # fmt: skip
    if status in ("reported", "withdrawn", "duplicate"):
        return row
    aware = reported + dt.timedelta(hours=rng.randrange(0, 12))
    duties = rules.assess(policy, rng.randrange(1, 6), rng.randrange(1, 6), row["is_vulnerable"])
    row.update(
        kind="breach" if rng.random() < 0.8 else "near_miss", aware_at=aware,
        deadline_at=rules.notification_deadline(policy, aware), likelihood=duties.likelihood,
        severity=duties.severity, grading_version=policy.version, is_ico_notifiable=duties.ico,
        is_dhsc_notifiable=duties.dhsc,
    )  # fmt: skip
    # As in a real register: nearly every notifiable breach past its first days has been
    # notified (most within 72 hours); a few are overdue; "notified" means notified.
    settled = status == "closed" or ((NOW - aware).days > 3 and rng.random() < 0.97)
    if duties.ico and (status == "notified" or settled):
        sent = min(aware + dt.timedelta(hours=rng.choice([2, 20, 40, 70, 70, 90])), NOW)
        row.update(first_notified_at=sent, hours_to_notify=rules.hours_between(aware, sent))
        row["status"] = "notified" if status in OPEN else status
    elif status == "notified":
        row["status"] = "investigating"
    if status == "closed":
        row["closed_at"] = aware + dt.timedelta(days=rng.randrange(5, 60))
    return row


def _children(row: dict[str, Any], rng: random.Random) -> Iterator[tuple[str, dict[str, Any]]]:
    for step, event in enumerate(EVENTS):
        at = row["reported_at"] + dt.timedelta(hours=step)
        yield "timeline", {"incident_id": row["id"], "at": at, "actor_label": "bench@example.org",
                           "event": event, "summary": event}  # fmt: skip
    for n in range(2):
        yield "actions", {"incident_id": row["id"], "description": f"Action {n + 1}", "owner_id": 1,
                          "due_on": (row["reported_at"] + dt.timedelta(days=30)).date(),
                          "status": "done" if row["status"] == "closed" else "open",
                          "acceptance_reason": "", "assignment_ids": [], "version": 1}  # fmt: skip
    if row["first_notified_at"] is not None:
        yield "notifications", {"incident_id": row["id"], "regulator": "ico", "phase": "initial",
                                "sent_at": row["first_notified_at"], "external_reference": "IC-1",
                                "content": "Initial report", "late_reason": ""}  # fmt: skip
    if rng.random() < 0.2:
        identifier = f"CS-{rng.randrange(10**6):06d}"
        yield "people", {"incident_id": row["id"], "identifier": identifier,
                         "identifier_index": get_keyring().blind_index(
                             identifier, "incident_affected_people.identifier")}  # fmt: skip


TABLES = {
    "timeline": TimelineEntry, "actions": IncidentAction, "notifications": Notification,
    "people": AffectedPerson,
}  # fmt: skip


def generate(engine: Engine, policy: IncidentsPolicy, count: int, seed: int = 42) -> None:
    """Insert the teams, users and ``count`` incidents with their children, in batches."""
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    types = sorted(policy.types)
    with engine.begin() as connection:
        connection.execute(insert(Team), [
            {"id": t, "name": f"Team {t}", "kind": "team", "parent_id": None, "path": f"/{t}/"}
            for t in range(1, TEAMS + 1)
        ])  # fmt: skip
        connection.execute(insert(User), [
            {"id": u, "email": f"bench{u}@example.org", "name": f"Bench User {u}",
             "password_hash": "x"} for u in range(1, REPORTERS + 2)
        ])  # fmt: skip
        connection.execute(insert(UserRole), [{"user_id": 1, "role": "ig_officer"}])
    for start in range(1, count + 1, BATCH):
        incidents = [
            _incident(rng, policy, n, types) for n in range(start, min(start + BATCH, count + 1))
        ]
        children: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        for row in incidents:
            for table, child in _children(row, rng):
                children[table].append(child)
        with engine.begin() as connection:
            connection.execute(insert(Incident), bound(Incident, incidents))
            for name, rows in children.items():
                if rows:
                    connection.execute(insert(TABLES[name]), bound(TABLES[name], rows))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))"
            )
    # As autovacuum would have done by now on a live database: statistics, and on
    # PostgreSQL the visibility map that lets counts use index-only scans.
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
