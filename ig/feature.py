"""What a feature offers the application, gathered in one object per feature.

Each feature folder has a ``feature.py`` whose ``FEATURE`` says what the feature
brings: its pages, its part of the policies, its commands, the deadlines it asks the
reminder engine to watch, its its demo records and the checks
of the records it seals. ``ig/features.py`` lists the features, and the application
factory, the command line and the demo are composed from that one list, so adding a
feature never means editing the ground it stands on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from flask import Blueprint
from sqlalchemy import Select
from sqlalchemy.orm import Session

from ig.auth.models import User
from ig.auth.rules import Actor
from ig.db import LONDON
from ig.policies import Policies, RolesPolicy

# A reminder source: (session, rule, now) -> the open items with a deadline, as a query
# whose labelled columns ig/reminders/sources/__init__.py describes. The rule is the
# reminder engine's Rule, which the engine's layer above this one defines.
ReminderSource = Callable[[Session, Any, dt.datetime], Select[Any]]
# A check of sealed records beside the audit chain: the problems found, as sentences.
IntegrityCheck = Callable[[Session], list[str]]


@dataclass(frozen=True)
class Task:
    """Something the person should do, with where to do it (shown on the home page)."""

    title: str
    endpoint: str
    args: dict[str, Any] = field(default_factory=dict)
    detail: str = ""
    count: int | None = None
    is_overdue: bool = False  # a deadline has passed: shown first in its feature, in red


# The actor's tasks from one feature.
TaskSource = Callable[[Session, Actor], list[Task]]


@dataclass(frozen=True)
class ReportPeriod:
    """The period an IG report covers, and which facts it may count.

    ``start`` and ``end`` are dates, both inclusive, in Europe/London. ``recorded_by``
    is the instant (UTC) after which nothing recorded counts: the end of ``end`` for a
    report "as recorded then", so that it gives the same figures whenever it is run; it
    is None for "as now known", which counts late-arriving facts too.
    """

    start: dt.date
    end: dt.date
    recorded_by: dt.datetime | None
    # Only the section's headline figures are wanted (the trend's earlier quarters): a
    # section may then leave its other figures out, to spare their queries.
    headline_only: bool = False

    @property
    def start_at(self) -> dt.datetime:
        """The instant (UTC) the period starts: midnight UK time at the start of ``start``."""
        return _london_midnight(self.start)

    @property
    def end_at(self) -> dt.datetime:
        """The instant (UTC) just after the period: midnight UK time after ``end``."""
        return _london_midnight(self.end + dt.timedelta(days=1))

    def known(self, recorded_at: Any) -> Any:
        """A SQL condition: the fact stamped ``recorded_at`` (an instant column) had been
        recorded when the report counts: ever for "as now known", else by ``recorded_by``."""
        if self.recorded_by is None:
            return recorded_at.is_not(None)
        return recorded_at.is_not(None) & (recorded_at < self.recorded_by)


def date_boxes(day: dt.date) -> list[int]:
    """``day`` as a GOV.UK date input's three boxes (day, month, year): a list's date
    filter in a Figure's ``args``."""
    return [day.day, day.month, day.year]


def _london_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), LONDON).astimezone(dt.UTC)


@dataclass(frozen=True)
class Figure:
    """One figure in the IG report, with what it means and where its records are.

    ``key`` is stable (``incidents.reported_to_ico``): CSV columns, feeds and stored
    reports use it, so it never changes meaning. ``group`` gathers a breakdown ("By
    type") under one heading; ``unit`` is "count", "percent", "hours" or "days";
    ``counts_people`` marks a count small enough to identify someone, which the
    scrutiny-panel version suppresses below the policy's threshold. ``endpoint`` and
    ``args`` name the list of records behind it, shown only to those holding
    ``permission``. ``value`` is None where there is nothing to count (no requests,
    so no on-time percentage).
    """

    key: str
    label: str
    value: float | None
    definition: str
    unit: str = "count"
    group: str = ""
    target: float | None = None
    counts_people: bool = True
    endpoint: str | None = None
    args: Mapping[str, Any] = field(default_factory=dict)
    permission: str | None = None


@dataclass(frozen=True)
class Section:
    """One register's part of the IG report: its figures, in the order shown."""

    key: str
    title: str
    figures: tuple[Figure, ...]
    # Figures that are headline figures, by key: the report trends these over eight quarters.
    headline: tuple[str, ...] = ()


# One register's section of the IG report for a period: (session, policies, period).
ReportSection = Callable[[Session, Policies, ReportPeriod], Section]


@dataclass(frozen=True)
class PolicyContext:
    """What a feature's policy loader may read besides its own file.

    ``roles`` is policies/roles.toml, already loaded; ``reminder_sources`` are every
    feature's reminder sources by name, which policies/reminders.toml's rules name.
    """

    directory: Path
    roles: RolesPolicy
    reminder_sources: Mapping[str, ReminderSource]


@dataclass(frozen=True)
class DemoContext:
    """The demo's users, ready for each feature to add its records in their names.

    ``users`` and ``actors`` are keyed by e-mail address; ``password`` is the demo
    password, for the records (signed decisions) that ask for it again;
    ``report_sections`` are every feature's, for a demo report across the registers.
    """

    session: Session
    policies: Policies
    users: Mapping[str, User]
    actors: Mapping[str, Actor]
    password: str
    now: dt.datetime
    report_sections: tuple[ReportSection, ...] = ()


@dataclass(frozen=True)
class Feature:
    """One feature's offer to the application.

    ``name`` is the feature's folder and the name its policy is read by
    (``policies.<name>``). The demos run in the order of the features list, except
    that a feature's demo runs after those it names in ``demo_after``.
    """

    name: str
    blueprint: Blueprint | None = None
    load_policy: Callable[[PolicyContext], object] | None = None
    commands: tuple[click.Command, ...] = ()
    # Run by ``ig init`` once the schema is up to date; says in a line what it did.
    on_init: Callable[[], str] | None = None
    reminder_sources: Mapping[str, ReminderSource] = field(default_factory=dict)
    task_sources: tuple[TaskSource, ...] = ()
    # The features whose demo records this feature's demo uses.
    demo_after: tuple[str, ...] = ()
    load_demo: Callable[[DemoContext], None] | None = None
    integrity_checks: Mapping[str, IntegrityCheck] = field(default_factory=dict)
    # Its sections of the IG report, in the order the report shows them.
    report_sections: tuple[ReportSection, ...] = ()
    # Its read-only feeds for Power BI and other tools (GET /api/v1/feeds).
    feeds: tuple[Feed, ...] = ()


# The types a feed's column may have, as the feed's description names them.
FEED_TYPES = ("string", "integer", "number", "boolean", "date", "datetime")
# A feed's rows, as a select with one labelled column per FeedColumn (session, policies, now).
FeedQuery = Callable[[Session, Policies, dt.datetime], Select[Any]]


@dataclass(frozen=True)
class FeedColumn:
    """One column of a feed: a stable name, one of FEED_TYPES, and what it holds."""

    name: str
    type: str
    description: str

    def __post_init__(self) -> None:
        if self.type not in FEED_TYPES:
            raise ValueError(f"feed column {self.name!r}: type must be one of {FEED_TYPES}")


@dataclass(frozen=True)
class FeedChanges:
    """How ``changed_since`` finds a feed's rows created or changed after an instant.

    From the audit trail: the entries on ``record_type`` whose record_id is the row's
    ``key`` column, except the view-only ``ignored`` actions, and only actions starting
    with ``action_prefix`` where given (a child record whose changes the trail records
    on its parent). Or, with ``column``, a column of the feed holding when the row was
    recorded (for rows that are only ever inserted).
    """

    record_type: str | None = None
    key: str = "id"
    ignored: tuple[str, ...] = ()
    action_prefix: str | None = None
    column: str | None = None


@dataclass(frozen=True)
class Feed:
    """A read-only feed of one register: stable columns, never decrypted detail.

    ``query`` gives one row per record, with a unique integer ``id`` column to page by
    and one labelled column per entry of ``columns``; ``permission`` is needed to read
    it. ``changes`` is None for a snapshot (compliance now), which is pulled whole.
    """

    name: str
    title: str
    permission: str
    columns: tuple[FeedColumn, ...]
    query: FeedQuery
    changes: FeedChanges | None = None
