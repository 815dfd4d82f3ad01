"""Rule sources: each kind of deadline ig watches, as a query the reminder engine runs.

A source is a function ``(session, rule, now) -> Select`` whose rows are the open
items that have a deadline, one row per item, with these labelled columns:

    record_type    text, the kind of record ("privacy_notice")
    record_id      text, its id
    due            the deadline: a date (date rules) or a UTC instant (after_hours rules)
    due_key        text that changes when the deadline moves (a new review date)
    title          text naming the record for the person reminded (no case detail)
    link           the path of the record's page in ig
    owner_user_id  the user who owns the item, or NULL
    owner_email    the address to use when the owner is not a user (staff), or NULL
    team_id        the team whose managers are told ("manager" recipients), or NULL

An item that is done (the training completed, the notice reviewed) is simply no longer
in the query, and the engine cancels whatever was still waiting to be sent about it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Select
from sqlalchemy.orm import Session

from ig.reminders.policy import Rule
from ig.reminders.sources import (
    caldicott,
    incident_followups,
    incidents,
    notices,
    sharing,
    training,
)

Source = Callable[[Session, Rule, dt.datetime], Select]

SOURCES: dict[str, Source] = {
    "notices.review": notices.review_due,
    "training.due": training.training_due,
    "incidents.notification_deadline": incidents.notification_deadline,
    "incidents.dhsc_deadline": incidents.dhsc_deadline,
    "incidents.actions": incidents.actions_overdue,
    "incidents.ico_follow_up": incident_followups.ico_follow_up,
    "sharing.agreement_review": sharing.agreement_review,
    "sharing.agreement_end": sharing.agreement_end,
    "caldicott.decision_review": caldicott.decision_review,
}
