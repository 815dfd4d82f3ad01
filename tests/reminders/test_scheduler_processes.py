"""Two real ``ig scheduler`` processes on one database: the second stands by while the
first leads, and takes over and runs a pass when the first stops (SIGTERM) or dies
(SIGKILL): the lock is the SQLite lock file's flock or PostgreSQL's advisory lock, both
of which go with the process.

The processes read a copy of policies/ whose leader_poll_seconds is 1, so a standby
looks for the lock every second, and a database of their own (a file on SQLite; a
database beside the test database on PostgreSQL), so nothing they commit reaches the
other tests.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from ig.db import make_engine
from ig.migrations import upgrade
from ig.reminders.models import ReminderRun
from ig.reminders.scheduler import ADVISORY_KEY
from ig.settings import PROJECT_ROOT
from tests.conftest import KEY_MATERIAL, POSTGRES_URL, reset_postgres

POLL_SECONDS = 1
STARTED = "Reminder scheduler started"
LEADS = "this process is the leader"
STANDS_BY = "another process is the leader; standing by"
PASS = "reminder pass as of"


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``condition`` until it holds; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout} s for {what}")
        time.sleep(0.1)


@pytest.fixture
def database_url(backend: str, tmp_path: Path, keyring: object) -> str:
    """A migrated database for the two processes alone."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'scheduler.sqlite3'}"
    else:
        base = make_url(POSTGRES_URL)
        url_object = base.set(database=f"{base.database}_scheduler")
        admin = make_engine(base.render_as_string(hide_password=False))
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": url_object.database},
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{url_object.database}"'))
        admin.dispose()
        url = url_object.render_as_string(hide_password=False)
    engine = make_engine(url)
    if backend == "postgresql":
        reset_postgres(engine)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def policies_dir(tmp_path: Path) -> Path:
    """policies/ with a standby that looks for the leader lock every second."""
    target = tmp_path / "policies"
    shutil.copytree(PROJECT_ROOT / "policies", target)
    reminders = target / "reminders.toml"
    changed, count = re.subn(
        r"(?m)^leader_poll_seconds = \d+$",
        f"leader_poll_seconds = {POLL_SECONDS}",
        reminders.read_text(encoding="utf-8"),
    )
    assert count == 1
    reminders.write_text(changed, encoding="utf-8")
    return target


class SchedulerProcess:
    """One ``ig scheduler`` OS process, its output (stdout and stderr) in a file."""

    def __init__(self, name: str, env: dict[str, str], directory: Path) -> None:
        self.log_path = directory / f"{name}.log"
        executable = Path(sys.executable).with_name("ig")
        command = (
            [str(executable)]
            if executable.exists()
            else [sys.executable, "-c", "from ig.cli import main; main()"]
        )
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
                [*command, "scheduler"], env=env, stdout=log, stderr=subprocess.STDOUT
            )

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def says(self, words: str) -> bool:
        return words in self.log

    def is_running(self) -> bool:
        return self.process.poll() is None

    def stop(self, signum: int) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout=20)


@pytest.fixture
def start(
    database_url: str, policies_dir: Path, tmp_path: Path
) -> Iterator[Callable[[str], SchedulerProcess]]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("IG_")}
    env.update(
        IG_ENV="test",
        IG_DATABASE_URL=database_url,
        IG_POLICIES_DIR=str(policies_dir),
        IG_INSTANCE_PATH=str(tmp_path / "instance"),
        IG_DATA_KEYS=json.dumps({k: v for k, v in KEY_MATERIAL.items() if k != "source"}),
        PYTHONUNBUFFERED="1",
    )
    started: list[SchedulerProcess] = []

    def start_one(name: str) -> SchedulerProcess:
        started.append(SchedulerProcess(name, env, tmp_path))
        return started[-1]

    yield start_one
    for scheduler in started:
        if scheduler.is_running():
            scheduler.process.kill()
            scheduler.process.wait(timeout=20)


def passes(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(
            select(func.count()).select_from(ReminderRun).where(ReminderRun.kind == "pass")
        )


def advisory_holders(engine: Engine) -> int:
    """Backends holding the scheduler's advisory lock (PostgreSQL)."""
    with engine.connect() as connection:
        return connection.scalar(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                "AND ((classid::bigint << 32) | objid::bigint) = :key"
            ),
            {"key": ADVISORY_KEY},
        )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_second_scheduler_process_stands_by_then_takes_over(
    start, database_url, backend, policies_dir, signum
):
    engine = make_engine(database_url)
    try:
        first = start("first")
        wait_for(lambda: first.says(LEADS) and passes(engine) == 1, 60, "the first to lead")
        if backend == "postgresql":
            assert advisory_holders(engine) == 1

        # The last pass was two hours ago: whichever process leads next owes one at once
        # (a missed pass is caught up). A standby that wrongly led would run it.
        with Session(engine) as session, session.begin():
            for run in session.scalars(select(ReminderRun)):
                run.as_of -= dt.timedelta(hours=2)
                run.started_at -= dt.timedelta(hours=2)
        second = start("second")
        wait_for(lambda: second.says(STANDS_BY), 60, "the second to stand by")
        # It looks for the lock every second: give it three looks, then see it idle.
        time.sleep(3 * POLL_SECONDS + 0.5)
        assert second.is_running()
        assert first.is_running()
        assert not second.says(LEADS), second.log
        assert not second.says(PASS), second.log
        assert passes(engine) == 1
        if backend == "postgresql":
            assert advisory_holders(engine) == 1

        code = first.stop(signum)
        if signum == signal.SIGTERM:
            assert code == 0, first.log
            assert first.says("Reminder scheduler stopped.")
        else:
            assert code == -signal.SIGKILL
        wait_for(
            lambda: second.says(LEADS) and second.says(PASS) and passes(engine) == 2,
            30,
            "the second to take over and run a pass",
        )
        assert second.is_running()
        if backend == "postgresql":
            assert advisory_holders(engine) == 1
        assert second.stop(signal.SIGTERM) == 0, second.log
        if backend == "postgresql":
            wait_for(lambda: advisory_holders(engine) == 0, 10, "the lock to be released")
    finally:
        engine.dispose()
