"""Python function calls and SQL statements per page, on the demo data, in-process.

Wall time on a shared machine moves with whatever else runs; the number of Python
function calls a request makes (counted by cProfile) and the statements it runs do not,
so they show what a change to a page's code costs or saves. The demo is loaded into a
scratch SQLite database; each page is requested three times to warm the caches, then
once counted, signed in as the demo person who uses it.

Usage: python -m benchmarks calls
"""

from __future__ import annotations

import cProfile
import pstats
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from ig import create_app
from ig.auth import service as auth_service
from ig.auth.models import User
from ig.crypto import new_key_material
from ig.db import Database, make_engine, utcnow
from ig.demo import load_demo
from ig.features import load_policies
from ig.migrations import upgrade
from ig.settings import PROJECT_ROOT, Settings

OFFICER, GUARDIAN = "ig.officer@eastmere.example", "guardian@eastmere.example"
MANAGER, STAFF = "manager@eastmere.example", "staff@eastmere.example"
# (who, page): each role's home, then the registers' first pages and a record of each.
PAGES = [
    (OFFICER, "/"),
    (GUARDIAN, "/"),
    (MANAGER, "/"),
    (STAFF, "/"),
    (OFFICER, "/incidents/"),
    (OFFICER, "/incidents/INC-{year}-0001"),
    (OFFICER, "/incidents/dashboard"),
    (GUARDIAN, "/caldicott/"),
    (GUARDIAN, "/caldicott/requests/CG-{year}-0001"),
    (OFFICER, "/sharing/"),
    (OFFICER, "/sharing/agreements/1"),
    (OFFICER, "/training/"),
    (MANAGER, "/training/team"),
    (OFFICER, "/notices/"),
    (OFFICER, "/audit/"),
    (OFFICER, "/assets/"),
    (OFFICER, "/assets/1"),
    (OFFICER, "/processing/"),
    (OFFICER, "/dpias/"),
    (OFFICER, "/dpias/1"),
    (OFFICER, "/contracts/"),
    (OFFICER, "/access/report"),
    (MANAGER, "/access/recertify"),
    (OFFICER, "/rights/"),
    (OFFICER, "/risks/"),
    (OFFICER, "/reports/1"),
    (OFFICER, "/reports/1/scrutiny"),
]


@contextmanager
def _demo_app() -> Iterator[tuple[Flask, Engine]]:
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/ig.sqlite3"
        settings = Settings(
            env="test", database_url=url, secret_key=secrets.token_urlsafe(48),
            key_material=new_key_material("benchmark"), policies_dir=PROJECT_ROOT / "policies",
            instance_path=Path(directory) / "instance",
        )  # fmt: skip
        engine = make_engine(url)
        upgrade(engine)
        app = create_app(settings, Database(engine))
        with app.extensions["ig.db"].session_scope() as session:
            load_demo(session, load_policies(settings.policies_dir))
        yield app, engine
        engine.dispose()


def _client(app: Flask, email: str) -> Any:
    with app.extensions["ig.db"].session_scope() as session:
        user = session.scalar(select(User).where(User.email == email))
        opened = auth_service.start_session(session, user, "benchmark", utcnow())
        opened.row.is_two_factor_done = True
        token = opened.token
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"] = token
        cookie["_fresh"] = True
    return client


def _measure(client: Any, engine: Engine, path: str) -> tuple[int, int, int]:
    """(Python calls, SQL statements, bytes) of one warmed-up request."""
    for _ in range(3):
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    statements: list[str] = []

    def count(*_args: Any) -> None:
        statements.append("")

    event.listen(engine, "before_cursor_execute", count)
    profile = cProfile.Profile()
    profile.enable()
    response = client.get(path)
    profile.disable()
    event.remove(engine, "before_cursor_execute", count)
    calls: int = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    return calls, len(statements), len(response.data)


def run(_args: list[str]) -> None:
    year = utcnow().year
    with _demo_app() as (app, engine):
        clients: dict[str, Any] = {}
        print(f"  {'page':44} {'who':30} {'calls':>8} {'SQL':>4} {'bytes':>8}")
        for who, page in PAGES:
            client = clients.setdefault(who, _client(app, who))
            path = page.format(year=year)
            calls, statements, size = _measure(client, engine, path)
            print(f"  {path:44} {who:30} {calls:8,} {statements:4} {size:8,}")
