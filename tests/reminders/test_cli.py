"""`ig remind`: one pass as of a given time, printing what it queued; --dry-run changes nothing."""

from __future__ import annotations

import datetime as dt

import click
import pytest
from sqlalchemy import select

from ig.reminders.cli import parse_at, remind_command
from ig.reminders.models import Reminder
from tests.factories import make_notice, make_user
from tests.reminders.conftest import DUE


def queued(db, notice_id):

    return db.scalars(
        select(Reminder).where(
            Reminder.record_id == str(notice_id), Reminder.record_type == "privacy_notice"
        )
    ).all()


@pytest.fixture
def notice(db):
    notice = make_notice(
        db, owner=make_user(db, roles=("manager",), email="cli.owner@eastmere.example")
    )
    db.commit()
    return notice.id


def test_dry_run_prints_and_changes_nothing(app, db, notice):
    result = app.test_cli_runner().invoke(
        remind_command, ["--at", (DUE - dt.timedelta(days=2)).isoformat() + "T09:00", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "Would queue" in result.output
    assert "cli.owner@eastmere.example" in result.output
    assert queued(db, notice) == []


def test_a_pass_as_of_a_time_queues(app, db, notice):
    at = (DUE - dt.timedelta(days=2)).isoformat() + "T09:00Z"
    result = app.test_cli_runner().invoke(remind_command, ["--at", at])
    assert result.exit_code == 0, result.output
    assert "Queued" in result.output
    assert [r.stage for r in queued(db, notice)] == ["before-7"]


def test_a_bad_time_is_refused(app):
    result = app.test_cli_runner().invoke(remind_command, ["--at", "next tuesday"])
    assert result.exit_code == 2
    assert "2026-11-23T09:00" in result.output


def test_parse_at_reads_uk_time_without_an_offset():
    assert parse_at("2026-07-01T09:00") == dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)
    assert parse_at("2026-12-01T09:00+00:00") == dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    with pytest.raises(click.BadParameter):
        parse_at("tomorrow")
