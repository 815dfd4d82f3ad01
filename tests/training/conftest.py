"""A small organisation for training tests: Eastmere with two services and a team below one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from ig.people.models import TeamManager
from tests.factories import make_completion, make_staff, make_team, make_user


@dataclass
class Org:
    top: Any
    adults: Any
    adults_east: Any
    children: Any
    manager: Any
    alice: Any  # adults, compliant
    bob: Any  # adults_east, overdue
    carol: Any  # children, overdue (another manager's team)


@pytest.fixture
def org(db) -> Org:
    top = make_team(db, name="Eastmere Council", kind="directorate")
    adults = make_team(db, name="Adult Social Care", parent=top, kind="service")
    adults_east = make_team(db, name="Adults East", parent=adults)
    children = make_team(db, name="Children's Services", parent=top, kind="service")
    manager = make_user(db, roles=("manager",), name="Mona Manager")
    db.add(TeamManager(team_id=adults.id, user_id=manager.id))
    today = dt.date.today()  # noqa: DTZ011 - pages show today's figures
    alice = make_staff(db, adults, name="Alice Adams", job_title="Social Worker")
    bob = make_staff(db, adults_east, name="Bob Brown")
    carol = make_staff(db, children, name="Carol Clark")
    for code in ("DSA", "IGF", "CYB", "SAR", "REC"):
        make_completion(db, alice, code, today - dt.timedelta(days=60))
    db.commit()  # past the savepoint: each request's rollback must not undo it
    return Org(top, adults, adults_east, children, manager, alice, bob, carol)
