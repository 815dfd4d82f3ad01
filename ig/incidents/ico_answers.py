"""The incident's answers to the ICO breach report form's questions: which are missing,
the DHSC flag, and the follow-ups the reminders chase (ico_form.py holds the rules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import select

from ig.db import LONDON
from ig.incidents import ico_form
from ig.incidents.models import Incident, Status
from ig.incidents.notification_models import Regulator
from ig.incidents.policy import IncidentsPolicy


def form_answers(incident: Incident) -> dict[str, Any]:
    """The incident's answers to the ICO form's mandatory questions, by question key."""
    return {key: getattr(incident, key) for key in ico_form.MANDATORY}


def settle_unknown_answers(
    incident: Incident,
    not_yet_known: Collection[str],
    follow_up_on: dt.date | None,
    sent_at: dt.datetime,
) -> None:
    """Record, with a notification to the ICO, the answers not yet known and the date they
    will follow (UK GDPR Art. 33(4)); ValidationFailed, changing nothing, as
    ico_form.settle_unknowns refuses them."""
    incident.unknown_answers, incident.ico_follow_up_on = ico_form.settle_unknowns(
        form_answers(incident),
        incident.is_cyber,
        not_yet_known,
        follow_up_on,
        sent_at.astimezone(LONDON).date(),
    )


def missing_answers(incident: Incident) -> list[str]:
    """The ICO form's mandatory questions the incident has no answer to yet."""
    answers = form_answers(incident)
    return [
        question
        for key, question in ico_form.questions_for(incident.is_cyber).items()
        if ico_form.state_of(answers[key]) != "answered"
    ]


def dhsc_warning(policy: IncidentsPolicy, incident: Incident) -> str | None:
    """The flag when the severity reaches the DHSC threshold with no DHSC notification
    and no recorded reason (an override of the duties, or the decision not to notify)."""
    reason = incident.override_reason if incident.dhsc_override is False else ""
    return ico_form.dhsc_flag(
        incident.severity,
        policy.dhsc_min_severity,
        any(n.regulator is Regulator.DHSC for n in incident.notifications),
        reason or incident.no_notification_reason,
    )


def follow_up_query() -> Any:
    """For the reminder engine: incidents whose ICO follow-up (the answers not yet known,
    UK GDPR Art. 33(4)) is due. Columns: id, reference, ico_follow_up_on, owner_id, team_id.
    Sending the follow-up with every answer clears the date, and so the reminder."""
    return select(
        Incident.id,
        Incident.reference,
        Incident.ico_follow_up_on,
        Incident.owner_id,
        Incident.team_id,
    ).where(
        Incident.ico_follow_up_on.is_not(None),
        Incident.status.not_in((Status.WITHDRAWN, Status.DUPLICATE)),
    )
