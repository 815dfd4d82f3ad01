"""Pure rules of the reminder engine: stages, periods, digest times and retry backoff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ig.db import LONDON, london_today
from ig.reminders.policy import Rule


@dataclass(frozen=True)
class Stage:
    """One moment of a rule: which items it covers (by due), who is told, and its period.

    ``due_from``/``due_to`` bound the item's due value (inclusive; None is open), as a
    date for date rules and a UTC instant for after_hours rules. ``period`` is the
    text added to the item's due_key to make the reminder's period key.
    """

    name: str
    recipients: tuple[str, ...]
    period: str
    due_from: dt.date | dt.datetime | None
    due_to: dt.date | dt.datetime | None


def _repeat_bucket(today: dt.date, every_days: int | None) -> str:
    """The period of a repeating reminder: one per ``every_days`` block of the calendar."""
    if not every_days:
        return "once"
    return str(today.toordinal() // every_days)


def stages(rule: Rule, now: dt.datetime) -> list[Stage]:
    """The stages of ``rule`` at ``now``; an item matches at most one stage per kind."""
    if rule.is_instant:
        return _hour_stages(rule, now)
    today = london_today(now)
    result = []
    leads = list(rule.before_days)  # largest first
    for index, lead in enumerate(leads):
        lower = leads[index + 1] + 1 if index + 1 < len(leads) else 0
        result.append(
            Stage(
                f"before-{lead}",
                rule.recipients,
                f"before-{lead}",
                today + dt.timedelta(days=lower),
                today + dt.timedelta(days=lead),
            )
        )
    bucket = _repeat_bucket(today, rule.overdue_every_days)
    if rule.overdue_every_days is not None:
        result.append(
            Stage(
                "overdue", rule.recipients, f"overdue-{bucket}", None, today - dt.timedelta(days=1)
            )
        )
    if rule.escalate_after_days is not None:
        result.append(
            Stage(
                "escalated",
                rule.escalate_to,
                f"escalated-{bucket}",
                None,
                today - dt.timedelta(days=rule.escalate_after_days + 1),
            )
        )
    return result


def _hour_stages(rule: Rule, now: dt.datetime) -> list[Stage]:
    """after_hours: an item is at stage H from H hours after its instant until the next."""
    hours = list(rule.after_hours)  # smallest first
    result = []
    for index, hour in enumerate(hours):
        later = hours[index + 1] if index + 1 < len(hours) else None
        due_from = None if later is None else now - dt.timedelta(hours=later) + _TICK
        result.append(
            Stage(
                f"after-{hour}h",
                rule.recipients,
                f"after-{hour}h",
                due_from,
                now - dt.timedelta(hours=hour),
            )
        )
    if rule.escalate_after_days is not None:
        result.append(
            Stage(
                "escalated",
                rule.escalate_to,
                "escalated",
                None,
                now - dt.timedelta(days=rule.escalate_after_days),
            )
        )
    return result


_TICK = dt.timedelta(microseconds=1)


def send_after(delivery: str, now: dt.datetime, digest_hour: int) -> dt.datetime:
    """When a reminder may go: at once, or at the next daily (weekly: Monday) digest hour."""
    if delivery == "each":
        return now
    local = now.astimezone(LONDON)
    slot = local.replace(hour=digest_hour, minute=0, second=0, microsecond=0)
    if slot < local:
        slot += dt.timedelta(days=1)
    if delivery == "weekly_digest":
        slot += dt.timedelta(days=(7 - slot.weekday()) % 7)
    # Build the wall-clock time again so that it is right across the clock changes.
    slot = dt.datetime.combine(slot.date(), dt.time(digest_hour), tzinfo=LONDON)
    return slot.astimezone(dt.UTC)


def retry_delay(attempt: int, base_minutes: int, max_minutes: int) -> dt.timedelta:
    """Exponential backoff after the ``attempt``-th failure: base, 2x, 4x ... up to max."""
    return dt.timedelta(minutes=min(base_minutes * 2 ** max(attempt - 1, 0), max_minutes))


def describe_stage(stage: str) -> str:
    """A person's words for a stored stage name."""
    if stage.startswith("before-"):
        days = int(stage.split("-")[1])
        return "due today" if days == 0 else f"due within {days} days"
    if stage.startswith("after-"):
        return f"{stage[6:-1]} hours have passed"
    return {"overdue": "overdue", "escalated": "overdue and escalated"}.get(stage, stage)
