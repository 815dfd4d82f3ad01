"""The ICO's personal data breach report form as rules: its answer scales, the questions it
marks mandatory, "not yet known" with a follow-up date, and the contradictions refused.

Pure functions of plain values; ico_answers.py, notify.py and service.py apply them to an incident.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from ig.errors import InvalidTransition, ValidationFailed

NOT_YET_KNOWN = "Not yet known"
NOT_KNOWN = "not_known"

# The ICO form's five steps, and "not yet known" for an initial report.
LIKELIHOOD = {
    "very_likely": "Very likely",
    "likely": "Likely",
    "neutral": "Neutral: neither likely nor unlikely",
    "not_likely": "Not likely",
    "very_unlikely": "Very unlikely",
    NOT_KNOWN: NOT_YET_KNOWN,
}
IMPACT = {
    "high": "High: lost the ability to provide all critical services to all users",
    "medium": "Medium: lost the ability to provide a critical service to some users",
    "low": "Low: no or minimal loss of efficiency; still providing all critical services",
    NOT_KNOWN: NOT_YET_KNOWN,
}
RECOVERY = {
    "regular": "Regular: predictable with existing resources",
    "supplemented": "Supplemented: predictable with additional resources",
    "extended": "Extended: not predictable; additional resources needed",
    "not_recoverable": "Not recoverable",
    "complete": "Complete: already recovered",
    NOT_KNOWN: NOT_YET_KNOWN,
}
ANSWER = {"yes": "Yes", "no": "No", NOT_KNOWN: NOT_YET_KNOWN}

# The questions the ICO marks mandatory that ig holds as answers, in the form's order.
# The type and the grading are required outright (check_ready_to_notify).
MANDATORY = {
    "discovery": "How did you find out about the breach?",
    "data_categories": "Categories of personal data included",
    "records_count": "Approximate number of personal data records concerned",
    "people_categories": "Categories of data subjects affected",
    "people_count": "Approximate number of data subjects affected",
    "consequences": "Potential consequences for the data subjects",
    "significant_likelihood": (
        "Likelihood that data subjects will experience significant consequences"
    ),
    "org_impact": "Impact on your organisation (cyber incidents)",
    "recovery_time": "Recovery time you estimate (cyber incidents)",
    "containment": "What have you done to contain the breach and limit the harm?",
    "preventative_measures": "Measures in place before the breach to prevent one of this kind",
    "staff_guidance": "Had the staff involved received detailed guidance?",
    "reported_before": "Have you reported this breach to the ICO before?",
}
CYBER_ONLY = frozenset({"org_impact", "recovery_time"})
# What check_cyber calls each answer asked of cyber incidents only.
CYBER_ANSWERS = {
    "org_impact": "The impact on the organisation",
    "impact_detail": "The description of the impact",
    "recovery_time": "The recovery time",
}


def day_text(day: dt.date) -> str:
    """A date as the ICO report writes it: "7 March 2026"."""
    return f"{day.day} {day:%B %Y}"


def state_of(value: Any) -> str:
    """ "answered", "not_known" (said so explicitly) or "missing" for one answer.

    A list (the categories) is not known when it holds only "not_known".
    """
    if value is None or value == "" or value == [] or value == ():
        return "missing"
    if isinstance(value, str) and not value.strip():
        return "missing"
    if value == NOT_KNOWN or (isinstance(value, list | tuple) and set(value) == {NOT_KNOWN}):
        return NOT_KNOWN
    return "answered"


def questions_for(is_cyber: bool) -> dict[str, str]:
    """The mandatory questions that apply: the cyber ones only to a cyber incident."""
    return {k: q for k, q in MANDATORY.items() if is_cyber or k not in CYBER_ONLY}


def check_ready_to_notify(incident_type: str | None, graded: bool) -> None:
    """InvalidTransition naming what is missing while the type or the grading is unset.

    The ICO's form asks what kind of breach it is, and whether to notify at all follows
    from the grading: neither can be left for later.
    """
    missing = [
        what
        for what, absent in (
            ("record the type of incident (on the incident record)", not incident_type),
            ("grade the incident", not graded),
        )
        if absent
    ]
    if missing:
        raise InvalidTransition(
            "A notification cannot be recorded yet: " + " and ".join(missing) + " first"
        )


def settle_unknowns(
    values: Mapping[str, Any],
    is_cyber: bool,
    ticked: Iterable[str],
    follow_up_on: dt.date | None,
    sent_on: dt.date,
) -> tuple[list[str], dt.date | None]:
    """The answers still not known and the follow-up date, for a notification to the ICO.

    Every mandatory question needs its answer, or to be marked not yet known (``ticked``)
    with a follow-up date: UK GDPR Art. 33(4) allows the information in phases, "without
    undue further delay". An answer given as "not yet known" counts as not known.
    Raises ValidationFailed naming the questions left unanswered.
    """
    questions = questions_for(is_cyber)
    ticked_set = set(ticked)
    strange = ticked_set - set(MANDATORY)
    if strange:
        raise ValidationFailed("not_yet_known", "Choose from the questions listed")
    states = {key: state_of(values.get(key)) for key in questions}
    unanswered = [k for k, s in states.items() if s == "missing" and k not in ticked_set]
    if unanswered:
        raise ValidationFailed(
            "not_yet_known",
            "The ICO's form needs these answers: "
            + "; ".join(questions[k] for k in unanswered)
            + ". Answer them on the incident record, or mark them not yet known",
        )
    unknown = [k for k, s in states.items() if s != "answered"]
    if not unknown:
        return [], None
    if follow_up_on is None:
        raise ValidationFailed(
            "follow_up_on", "Enter when the ICO will be sent the answers not yet known"
        )
    if follow_up_on < sent_on:
        raise ValidationFailed(
            "follow_up_on", "The follow-up date must be on or after the notification"
        )
    return unknown, follow_up_on


def check_cyber(
    cyber_types: Collection[str],
    type_labels: Mapping[str, str],
    incident_type: str,
    is_cyber: bool,
    cyber_answers: Mapping[str, Any],
) -> None:
    """Refuse a record that contradicts itself about being a cyber incident.

    A ransomware, phishing or malware incident (the policy's cyber types) is a cyber
    incident; the impact and recovery questions are asked of cyber incidents only.
    """
    if incident_type in cyber_types and not is_cyber:
        label = type_labels.get(incident_type, incident_type)
        raise ValidationFailed(
            "is_cyber", f"{label} is a cyber incident: answer yes to “Is it a cyber incident?”"
        )
    if not is_cyber:
        for field, value in cyber_answers.items():
            if state_of(value) != "missing":
                raise ValidationFailed(
                    field,
                    f"{CYBER_ANSWERS[field]} is asked only about a cyber incident: leave it "
                    "blank, or answer yes to “Is it a cyber incident?”",
                )


def dhsc_flag(
    severity: int | None, dhsc_min_severity: int, has_dhsc_notification: bool, reason: str
) -> str | None:
    """The warning when severity reaches the DHSC threshold with no DHSC notification and
    no recorded reason for not making one (NHS England's incident reporting guide)."""
    if severity is None or severity < dhsc_min_severity:
        return None
    if has_dhsc_notification or reason.strip():
        return None
    return (
        f"Severity {severity} is at the DHSC / NHS England threshold ({dhsc_min_severity}) "
        "but no DHSC notification is recorded and no reason for not making one"
    )


def answer_text(value: Any, labels: Mapping[str, str]) -> str:
    """One enumerated answer as the form words it, or "Not yet known"."""
    if value is None:
        return NOT_YET_KNOWN
    return labels.get(str(value), NOT_YET_KNOWN)
