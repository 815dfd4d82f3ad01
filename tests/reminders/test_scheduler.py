"""The scheduler: one leader at a time, a standby that takes over, missed passes caught up."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time

import pytest

from ig.reminders.scheduler import (
    AdvisoryLock,
    FileLock,
    ReminderScheduler,
    first_pass_at,
    leader_lock_for,
)

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        (None, NOW),
        (NOW - 3 * HOUR, NOW),
        (NOW - HOUR, NOW),
        (NOW - dt.timedelta(minutes=10), NOW + dt.timedelta(minutes=50)),
    ],
)
def test_a_missed_pass_runs_once_at_once(last, expected):
    assert first_pass_at(last, NOW, HOUR) == expected


class FakeJobs:
    """Counts the runs; the real jobs are tested in test_delivery and test_engine."""

    def __init__(self, last_pass: dt.datetime | None = None) -> None:
        self.passes: list[dt.datetime] = []
        self.deliveries: list[dt.datetime] = []
        self.last_pass = last_pass

    def run_pass(self, now):
        self.passes.append(now)

    def deliver(self, now):
        self.deliveries.append(now)

    def last_pass_at(self):
        return self.last_pass


def wait_for(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_file_lock_is_held_by_one_holder_at_a_time(tmp_path):
    first, second = FileLock(tmp_path / "lock"), FileLock(tmp_path / "lock")
    assert first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_the_leader_lock_is_held_by_one_connection_at_a_time(engine, backend, tmp_path):
    first, second = leader_lock_for(engine, tmp_path), leader_lock_for(engine, tmp_path)
    assert isinstance(first, AdvisoryLock if backend == "postgresql" else FileLock)
    assert first.acquire()
    try:
        assert first.is_held()
        assert not second.acquire()
    finally:
        first.release()
    assert not first.is_held()
    assert second.acquire()
    second.release()


def test_a_second_scheduler_waits_and_takes_over_when_the_first_stops(engine, policies, tmp_path):
    schedule = dataclasses.replace(policies.reminders.schedule, pass_every_minutes=60)
    jobs = [FakeJobs(), FakeJobs()]
    schedulers = [
        ReminderScheduler(
            job,
            leader_lock_for(engine, tmp_path),
            schedule,
            clock=lambda: dt.datetime.now(dt.UTC),
            poll_seconds=0.05,
        )
        for job in jobs
    ]
    stops = [threading.Event(), threading.Event()]
    threads = [
        threading.Thread(target=s.run, args=(stop,), daemon=True)
        for s, stop in zip(schedulers, stops, strict=True)
    ]
    threads[0].start()
    assert wait_for(schedulers[0].is_leader.is_set)
    threads[1].start()
    try:
        assert wait_for(lambda: len(jobs[0].passes) == 1)
        time.sleep(0.3)
        assert not schedulers[1].is_leader.is_set()
        assert jobs[1].passes == []
        assert jobs[1].deliveries == []

        stops[0].set()
        threads[0].join(timeout=5)
        assert wait_for(schedulers[1].is_leader.is_set)
        # The new leader's last pass is unknown to it, so it runs one at once.
        assert wait_for(lambda: len(jobs[1].passes) == 1)
        assert len(jobs[0].passes) == 1
    finally:
        for stop in stops:
            stop.set()
        for thread in threads:
            thread.join(timeout=5)
    assert not any(s.is_leader.is_set() for s in schedulers)


def test_a_recent_pass_is_not_repeated_on_start(engine, policies, tmp_path):
    jobs = FakeJobs(last_pass=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))
    scheduler = ReminderScheduler(
        jobs, leader_lock_for(engine, tmp_path), policies.reminders.schedule, poll_seconds=0.05
    )
    stop = threading.Event()
    thread = threading.Thread(target=scheduler.run, args=(stop,), daemon=True)
    thread.start()
    try:
        assert wait_for(scheduler.is_leader.is_set)
        time.sleep(0.3)
        assert jobs.passes == []
    finally:
        stop.set()
        thread.join(timeout=5)


def test_the_app_builds_its_scheduler_with_the_right_lock(app, backend):
    from ig.reminders.cli import build_scheduler

    scheduler = build_scheduler(app)
    assert isinstance(scheduler.lock, AdvisoryLock if backend == "postgresql" else FileLock)
    assert scheduler.schedule == app.extensions["ig.policies"].reminders.schedule


@pytest.mark.parametrize(
    ("env", "run_scheduler", "started"),
    [
        ("development", False, True),
        ("production", True, True),
        ("production", False, False),
        ("test", False, False),
    ],
)
def test_serve_runs_the_scheduler_in_development(app, monkeypatch, env, run_scheduler, started):
    from flask import Flask

    from ig import cli
    from ig.reminders import cli as reminders_cli

    calls = []
    monkeypatch.setattr(reminders_cli, "start_in_process", calls.append)
    monkeypatch.setattr(Flask, "run", lambda *args, **kwargs: None)
    app.extensions["ig.settings"] = dataclasses.replace(
        app.extensions["ig.settings"], env=env, run_scheduler=run_scheduler
    )
    result = app.test_cli_runner().invoke(cli.serve_command)
    assert result.exit_code == 0, result.output
    assert calls == ([app] if started else [])
