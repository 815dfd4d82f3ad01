"""The reminder scheduler: APScheduler runs the pass and the delivery in one leader process.

Only the process holding the leader lock schedules anything: a PostgreSQL advisory lock
(held by a dedicated connection, so it goes when the process dies) or, on SQLite, an
exclusive file lock beside the database file. Another process started by mistake waits,
checking every leader_poll_seconds, and takes over when the leader stops.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Protocol

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from ig.db import utcnow
from ig.reminders.policy import Schedule

log = logging.getLogger(__name__)
# Any constant, distinct from the audit chain's: the advisory lock of the scheduler leader.
ADVISORY_KEY = 0x16A05C4E


class LeaderLock(Protocol):
    def acquire(self) -> bool: ...
    def is_held(self) -> bool: ...
    def release(self) -> None: ...


class AdvisoryLock:
    """PostgreSQL session advisory lock, held for as long as its connection lives."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.connection: Connection | None = None

    def acquire(self) -> bool:
        connection = self.engine.connect()
        held = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY})
        if held.scalar():
            connection.commit()
            self.connection = connection
            return True
        connection.close()
        return False

    def is_held(self) -> bool:
        if self.connection is None:
            return False
        try:
            self.connection.execute(text("SELECT 1"))
            self.connection.commit()
        except DBAPIError:
            return False
        return True

    def release(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
            self.connection.commit()
        except DBAPIError:
            log.warning("the scheduler's database connection was lost; its lock went with it")
        finally:
            self.connection.close()
            self.connection = None


class FileLock:
    """An exclusive flock on a file: released by the kernel if the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: IO[str] | None = None

    def acquire(self) -> bool:
        handle = self.path.open("a", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self.handle = handle
        return True

    def is_held(self) -> bool:
        return self.handle is not None

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


def leader_lock_for(engine: Engine, instance_path: Path) -> LeaderLock:
    """The advisory lock on PostgreSQL; on SQLite a lock file beside the database."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine)
    database = engine.url.database
    if database and database != ":memory:":
        return FileLock(Path(f"{database}.scheduler-lock"))
    instance_path.mkdir(parents=True, exist_ok=True)
    return FileLock(instance_path / "scheduler.lock")


class Jobs(Protocol):
    def run_pass(self, now: dt.datetime) -> object: ...
    def deliver(self, now: dt.datetime) -> object: ...
    def last_pass_at(self) -> dt.datetime | None: ...


def first_pass_at(last: dt.datetime | None, now: dt.datetime, every: dt.timedelta) -> dt.datetime:
    """A pass missed while no scheduler ran runs once, at once; otherwise on its interval."""
    if last is None or last + every <= now:
        return now
    return last + every


class ReminderScheduler:
    """Waits for the leader lock, then runs the jobs on the policy's schedule until stopped."""

    def __init__(
        self,
        jobs: Jobs,
        lock: LeaderLock,
        schedule: Schedule,
        clock: Callable[[], dt.datetime] = utcnow,
        poll_seconds: float | None = None,
    ) -> None:
        self.jobs, self.lock, self.schedule, self.clock = jobs, lock, schedule, clock
        self.poll_seconds = poll_seconds or schedule.leader_poll_seconds
        self.is_leader = threading.Event()

    def run(self, stop: threading.Event) -> None:
        """Until ``stop`` is set: lead while holding the lock, wait while another leads."""
        standing_by = False
        while not stop.is_set():
            if self.lock.acquire():
                standing_by = False
                log.info("reminder scheduler: this process is the leader")
                try:
                    self._lead(stop)
                finally:
                    self.lock.release()
            else:
                if not standing_by:
                    log.info("reminder scheduler: another process is the leader; standing by")
                    standing_by = True
                stop.wait(self.poll_seconds)

    def _lead(self, stop: threading.Event) -> None:
        scheduler = self._scheduler()
        scheduler.start()
        self.is_leader.set()
        try:
            while not stop.wait(self.poll_seconds):
                if not self.lock.is_held():
                    log.warning("reminder scheduler: lost the leader lock; standing down")
                    break
        finally:
            scheduler.shutdown(wait=True)
            self.is_leader.clear()

    def _scheduler(self) -> BackgroundScheduler:
        schedule, now = self.schedule, self.clock()
        every = dt.timedelta(minutes=schedule.pass_every_minutes)
        scheduler = BackgroundScheduler(
            timezone=dt.UTC,
            job_defaults={
                "coalesce": True,  # several missed runs run once
                "max_instances": 1,
                "misfire_grace_time": schedule.misfire_grace_minutes * 60,
            },
        )
        scheduler.add_job(
            self._pass_then_deliver,
            "interval",
            minutes=schedule.pass_every_minutes,
            next_run_time=first_pass_at(self.jobs.last_pass_at(), now, every),
            id="reminder-pass",
        )
        scheduler.add_job(
            self._deliver,
            "interval",
            minutes=schedule.deliver_every_minutes,
            next_run_time=now + dt.timedelta(minutes=schedule.deliver_every_minutes),
            id="reminder-delivery",
        )
        return scheduler

    def _pass_then_deliver(self) -> None:
        self.jobs.run_pass(self.clock())
        self.jobs.deliver(self.clock())

    def _deliver(self) -> None:
        self.jobs.deliver(self.clock())
