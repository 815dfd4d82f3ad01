"""policies/reminders.toml: the reminder rules, the schedule and the delivery settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from ig.policy_files import PolicyError, Section, read_policy_file

FILE = "reminders.toml"
DELIVERY_MODES = ("each", "daily_digest", "weekly_digest")
RULE_KEYS = (
    "source",
    "summary",
    "delivery",
    "recipients",
    "before_days",
    "overdue_every_days",
    "escalate_after_days",
    "escalate_to",
    "after_hours",
)


@dataclass(frozen=True)
class Rule:
    """One kind of deadline and who is reminded about it, when."""

    key: str
    source: str
    summary: str
    delivery: str
    recipients: tuple[str, ...]
    before_days: tuple[int, ...] = ()
    overdue_every_days: int | None = None  # None: no overdue reminders; 0: once
    escalate_after_days: int | None = None
    escalate_to: tuple[str, ...] = ()
    after_hours: tuple[int, ...] = ()

    @property
    def is_instant(self) -> bool:
        """Whether the rule counts hours from an instant rather than days to a date."""
        return bool(self.after_hours)


# A rule's source: the open items with a deadline (see ig/reminders/sources/__init__.py).
Source = Callable[[Session, Rule, dt.datetime], Select[Any]]


@dataclass(frozen=True)
class Schedule:
    pass_every_minutes: int
    deliver_every_minutes: int
    misfire_grace_minutes: int
    leader_poll_seconds: int


@dataclass(frozen=True)
class Delivery:
    max_attempts: int
    backoff_base_minutes: int
    backoff_max_minutes: int
    digest_hour: int
    app_url: str
    batch_size: int


@dataclass(frozen=True)
class RemindersPolicy:
    """policies/reminders.toml."""

    version: str
    schedule: Schedule
    delivery: Delivery
    rules: Mapping[str, Rule]
    # Every source a rule may name, by name, as the features offer them.
    sources: Mapping[str, Source] = field(default_factory=dict)


def load_reminders(
    directory: Path, role_names: Iterable[str], sources: Mapping[str, Source]
) -> RemindersPolicy:
    """Read and validate policies/reminders.toml against the known roles and sources."""
    root = read_policy_file(directory, FILE)
    root.reject_unknown(["version", "schedule", "delivery", "rules"])
    schedule = root.section("schedule")
    schedule.reject_unknown(
        [
            "pass_every_minutes",
            "deliver_every_minutes",
            "misfire_grace_minutes",
            "leader_poll_seconds",
        ]
    )
    delivery = root.section("delivery")
    delivery.reject_unknown(
        [
            "max_attempts",
            "backoff_base_minutes",
            "backoff_max_minutes",
            "digest_hour",
            "app_url",
            "batch_size",
        ]
    )
    roles, source_names = frozenset(role_names), frozenset(sources)
    rules = {
        key: _rule(key, section, roles, source_names)
        for key, section in root.sections("rules").items()
    }
    return RemindersPolicy(
        version=root.str("version"),
        schedule=Schedule(
            pass_every_minutes=schedule.int("pass_every_minutes", minimum=1, maximum=1440),
            deliver_every_minutes=schedule.int("deliver_every_minutes", minimum=1, maximum=1440),
            misfire_grace_minutes=schedule.int("misfire_grace_minutes", minimum=1),
            leader_poll_seconds=schedule.int("leader_poll_seconds", minimum=1, maximum=600),
        ),
        delivery=Delivery(
            max_attempts=delivery.int("max_attempts", minimum=1, maximum=50),
            backoff_base_minutes=delivery.int("backoff_base_minutes", minimum=1),
            backoff_max_minutes=delivery.int("backoff_max_minutes", minimum=1),
            digest_hour=delivery.int("digest_hour", minimum=0, maximum=23),
            app_url=delivery.str("app_url").rstrip("/"),
            batch_size=delivery.int("batch_size", 500, minimum=1, maximum=10000),
        ),
        rules=rules,
        sources=dict(sources),
    )


def _rule(key: str, section: Section, roles: frozenset[str], sources: frozenset[str]) -> Rule:
    section.reject_unknown(RULE_KEYS)
    source = section.str("source")
    if source not in sources:
        raise PolicyError(FILE, f"rules.{key}.source", f"{source!r} is not a known source")
    before = _days(section, "before_days")
    after = _days(section, "after_hours")
    if bool(after) == bool(before or "overdue_every_days" in section.data):
        raise PolicyError(
            FILE, f"rules.{key}", "give either after_hours, or before_days/overdue_every_days"
        )
    escalate_after = _optional_int(section, "escalate_after_days", 0, None)
    escalate_to = _recipients(section, "escalate_to", roles, ())
    if (escalate_after is None) != (not escalate_to):
        raise PolicyError(FILE, f"rules.{key}", "escalate_after_days and escalate_to go together")
    return Rule(
        key=key,
        source=source,
        summary=section.str("summary"),
        delivery=section.choice("delivery", DELIVERY_MODES, "each"),
        recipients=_recipients(section, "recipients", roles, ...),
        before_days=before,
        overdue_every_days=_optional_int(section, "overdue_every_days", 0, 365),
        escalate_after_days=escalate_after,
        escalate_to=escalate_to,
        after_hours=after,
    )


def _optional_int(section: Section, key: str, minimum: int, maximum: int | None) -> int | None:
    if key not in section.data:
        return None
    return section.int(key, minimum=minimum, maximum=maximum)


def _days(section: Section, key: str) -> tuple[int, ...]:
    values = section._get(key, list, [])
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values):
        raise PolicyError(FILE, section._key(key), "must be a list of whole numbers, 0 or more")
    if len(set(values)) != len(values):
        raise PolicyError(FILE, section._key(key), "must not repeat a number")
    return tuple(sorted(values, reverse=key == "before_days"))


def _recipients(
    section: Section, key: str, roles: frozenset[str], default: object
) -> tuple[str, ...]:
    values = section.str_list(key, default)
    for value in values:
        if value in ("owner", "manager"):
            continue
        if not value.startswith("role:") or value[5:] not in roles:
            raise PolicyError(
                FILE,
                section._key(key),
                f"{value!r} must be owner, manager or role:<a role in roles.toml>",
            )
    if key == "recipients" and not values:
        raise PolicyError(FILE, section._key(key), "must name at least one recipient")
    return values
