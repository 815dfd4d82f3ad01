"""The reminder commands: ``ig remind`` (one pass) and ``ig scheduler`` (the leader process)."""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ig.db import LONDON, utcnow
from ig.reminders.engine import run_pass
from ig.reminders.jobs import ReminderJobs
from ig.reminders.models import Reminder
from ig.reminders.scheduler import ReminderScheduler, leader_lock_for


def parse_at(value: str | None) -> dt.datetime:
    """An ISO time; one without an offset is UK time. Now when not given."""
    if not value:
        return utcnow()
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(
            "give a date and time like 2026-11-23T09:00 (UK time) or 2026-11-23T09:00Z"
        ) from error
    return (at if at.tzinfo else at.replace(tzinfo=LONDON)).astimezone(dt.UTC)


@click.command("remind")
@with_appcontext
@click.option("--at", "at_text", default=None, help="Run the pass as of this ISO time.")
@click.option("--dry-run", is_flag=True, help="Show what would be queued; change nothing.")
def remind_command(at_text: str | None, dry_run: bool) -> None:
    """Run one reminder pass and print what it queued (the scheduler sends them)."""
    at = parse_at(at_text)
    database = current_app.extensions["ig.db"]
    session = database.session_factory()
    try:
        result = run_pass(session, current_app.extensions["ig.policies"].reminders, at)
        ids = [i for queued in result.queued.values() for i in queued]
        rows = session.scalars(
            select(Reminder).where(Reminder.id.in_(ids)).order_by(Reminder.id)
        ).all()
        verb = "Would queue" if dry_run else "Queued"
        click.echo(
            f"{verb} {len(ids)} reminder(s) as of {at.isoformat()}; "
            f"{'would cancel' if dry_run else 'cancelled'} {result.cancelled}."
        )
        for row in rows:
            click.echo(f"  {row.rule:<32} {row.recipient_email:<36} {row.stage:<12} {row.title}")
        if dry_run:
            session.rollback()
        else:
            session.commit()
    finally:
        session.close()


def build_scheduler(app: Flask) -> ReminderScheduler:
    """The scheduler for ``app``'s database, policies and mail settings."""
    database, settings = app.extensions["ig.db"], app.extensions["ig.settings"]
    policies = app.extensions["ig.policies"]
    jobs = ReminderJobs(database, policies, settings.smtp, app.app_context)
    lock = leader_lock_for(database.engine, settings.instance_path)
    return ReminderScheduler(jobs, lock, policies.reminders.schedule)


def start_in_process(app: Flask) -> threading.Event:
    """Run the scheduler in a background thread of this process (the development server)."""
    stop = threading.Event()
    scheduler = build_scheduler(app)
    threading.Thread(target=scheduler.run, args=(stop,), name="ig-scheduler", daemon=True).start()
    return stop


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the reminder scheduler: one per deployment; a second one waits as a standby."""
    stop = threading.Event()

    def _stop(_signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    # Its log is how an operator sees which process leads and what each pass did.
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per job run is noise
    click.echo("Reminder scheduler started; it runs the jobs while it holds the leader lock.")
    build_scheduler(current_app._get_current_object()).run(stop)  # type: ignore[attr-defined]
    click.echo("Reminder scheduler stopped.")
