"""Fixtures for the reminder tests: a real SMTP server on 127.0.0.1, policies, a test source."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.policy
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Integer, Select, String, cast, literal, select
from sqlalchemy.orm import Session

from ig.people.models import Staff, Team, TeamKind, TeamManager
from ig.policies import Policies
from ig.reminders.policy import RemindersPolicy, Rule
from ig.settings import SmtpSettings
from tests.committing import client  # noqa: F401 - the committing client fixture
from tests.factories import make_user

# The factory notice's first review (it took effect on 10 January 2026).
DUE = dt.date(2027, 1, 10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Handler:
    """Keeps every message; refuses mail to the addresses in ``refuse``."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse: set[str] = set()

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        if set(envelope.rcpt_tos) & self.refuse:
            return "554 5.7.1 Message refused"
        self.messages.append(message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


class SmtpServer:
    """aiosmtpd in a thread on a fixed free port, which can be stopped and started again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = Handler()
        self.controller: Controller | None = None

    @property
    def messages(self) -> list[Message]:
        return self.handler.messages

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def settings(self) -> SmtpSettings:
        return SmtpSettings(
            host="127.0.0.1", port=self.port, security="none", sender="ig@eastmere.example"
        )


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def staff_started(_session: Session, _rule: Rule, _now: dt.datetime) -> Select:
    """A test source over the staff register: due on the start date, owner the member."""
    return select(
        literal("staff").label("record_type"),
        cast(Staff.id, String).label("record_id"),
        Staff.started_on.label("due"),
        cast(Staff.started_on, String).label("due_key"),
        Staff.name.label("title"),
        (literal("/staff/") + cast(Staff.id, String)).label("link"),
        Staff.user_id.label("owner_user_id"),
        Staff.work_email.label("owner_email"),
        cast(Staff.team_id, Integer).label("team_id"),
    ).where(Staff.left_on.is_(None))


@pytest.fixture
def staff_source() -> str:
    """The name of the test source over the staff register, which with_rules offers."""
    return "test.staff"


def with_rules(policy: RemindersPolicy, *rules: Rule, **delivery: Any) -> RemindersPolicy:
    """The policy with exactly these rules (and delivery settings changed), its sources
    joined by the test source over the staff register."""
    return dataclasses.replace(
        policy,
        rules={rule.key: rule for rule in rules},
        delivery=dataclasses.replace(policy.delivery, **delivery),
        sources={**policy.sources, "test.staff": staff_started},
    )


@pytest.fixture
def notice_rule(policies: Policies) -> Rule:
    return policies.reminders.rules["notice_review_due"]


def staff_setup(db):
    """A directorate with a team below it; a manager of the directorate; two staff."""
    top = Team(name="Adults", kind=TeamKind.DIRECTORATE, path="/")
    db.add(top)
    db.flush()
    top.path = f"/{top.id}/"
    team = Team(name="Reablement", kind=TeamKind.TEAM, parent_id=top.id)
    db.add(team)
    db.flush()
    team.path = f"{top.path}{team.id}/"
    manager = make_user(db, roles=("manager",))
    db.add(TeamManager(team_id=top.id, user_id=manager.id))
    user = make_user(db)
    with_user = Staff(
        staff_number=f"S{user.id}",
        name="Ada Lovelace",
        team_id=team.id,
        started_on=DUE,
        user_id=user.id,
        work_email="ignored@eastmere.example",
    )
    mail_only = Staff(
        staff_number=f"M{user.id}",
        name="Bo Diddley",
        team_id=team.id,
        started_on=DUE,
        work_email="Bo.Diddley@Eastmere.example",
    )
    db.add_all([with_user, mail_only])
    db.flush()
    return manager, user, with_user, mail_only
