"""The ICO report page: the incident laid out as the six parts of the ICO's online personal
data breach report form, every question answered or saying "Not yet known"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from ig.db import LONDON
from ig.incidents import ico_form, rules
from ig.incidents.ico_answers import dhsc_warning
from ig.incidents.ico_form import NOT_YET_KNOWN, answer_text, day_text
from ig.incidents.ico_training import training_answer
from ig.incidents.involved import Involved, list_involved
from ig.incidents.models import Incident
from ig.incidents.notification_models import Notification, Phase, Regulator
from ig.incidents.policy import IncidentsPolicy
from ig.incidents.summary import EXEMPTIONS


@dataclass(frozen=True)
class Row:
    """One question and its answer; ``kind`` says how the page shows the value
    ("text", "lines", "instant" or "date")."""

    question: str
    answer: Any
    kind: str = "text"


@dataclass(frozen=True)
class Part:
    number: int
    title: str
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class IcoReport:
    incident: Incident
    parts: list[Part]
    warnings: list[str]
    unknown: list[str]
    follow_up_on: dt.date | None


def build_ico_report(
    session: Session, policy: IncidentsPolicy, incident: Incident, now: dt.datetime
) -> IcoReport:
    """The six parts of the ICO's form for ``incident`` (its relations loaded)."""
    ico = [n for n in incident.notifications if n.regulator is Regulator.ICO]
    initial = next((n for n in ico if n.phase is Phase.INITIAL), None)
    parts = [
        Part(1, "About your report", _about_report(incident, initial)),
        Part(2, "About the breach", _about_breach(policy, incident, initial, now)),
        Part(3, "Personal data and the people affected", _data_and_people(policy, incident)),
        Part(4, "Cyber incidents", _cyber(incident)),
        Part(5, "Taking action", _taking_action(incident, list_involved(session, incident))),
        Part(6, "About your organisation", _organisation(policy, incident, ico)),
    ]
    warning = dhsc_warning(policy, incident)
    return IcoReport(
        incident=incident,
        parts=parts,
        warnings=[warning] if warning else [],
        unknown=[
            ico_form.MANDATORY[k] for k in incident.unknown_answers if k in ico_form.MANDATORY
        ],
        follow_up_on=incident.ico_follow_up_on,
    )


def _known(value: Any) -> Any:
    """The value, or "Not yet known" when there is none (or it says it is not known)."""
    return NOT_YET_KNOWN if ico_form.state_of(value) != "answered" else value


def _yes_no(value: bool | None) -> str:
    return NOT_YET_KNOWN if value is None else ("Yes" if value else "No")


def _about_report(incident: Incident, initial: Notification | None) -> list[Row]:
    if initial is None:
        return [
            Row("Is this an initial report or a follow-up?", "Initial report"),
            Row("ICO case reference (follow-up reports)", "Not applicable: an initial report"),
            Row("Our reference", incident.reference),
        ]
    return [
        Row("Is this an initial report or a follow-up?", "Follow-up report"),
        Row("ICO case reference (follow-up reports)", _known(initial.external_reference)),
        Row("Our reference", incident.reference),
    ]


def _delay(incident: Incident, initial: Notification | None, now: dt.datetime) -> str:
    """UK GDPR Art. 33(1): the reasons for reporting after 72 hours."""
    if initial is not None:
        if rules.is_late(incident.deadline_at, initial.sent_at):
            return initial.late_reason or NOT_YET_KNOWN
        return "No delay: reported within 72 hours of becoming aware"
    if incident.deadline_at is not None and now > incident.deadline_at:
        return NOT_YET_KNOWN
    return "No delay so far: the 72 hours have not yet passed"


def _about_breach(
    policy: IncidentsPolicy, incident: Incident, initial: Notification | None, now: dt.datetime
) -> list[Row]:
    affected = [
        label
        for label, on in (
            ("Confidentiality", incident.is_confidentiality),
            ("Integrity", incident.is_integrity),
            ("Availability", incident.is_availability),
        )
        if on
    ]
    return [
        Row("What has happened?", _known(incident.narrative), "lines"),
        Row("Type of breach", policy.types.get(incident.incident_type or "", NOT_YET_KNOWN)),
        Row(
            "Was confidentiality, integrity or availability affected?",
            ", ".join(affected) or NOT_YET_KNOWN,
        ),
        Row("How did you find out about the breach?", _known(incident.discovery), "lines"),
        Row("Was the breach caused by a cyber incident?", _yes_no(incident.is_cyber)),
        Row("When did the breach happen?", incident.occurred_at, "instant"),
        Row("When did you discover the breach?", _known(incident.aware_at), "instant"),
        Row(
            "If there has been a delay in reporting, why?", _delay(incident, initial, now), "lines"
        ),
        Row("Is the breach still ongoing?", _yes_no(incident.is_ongoing)),
    ]


def _labels(codes: list[str], labels: Any) -> Any:
    known = [labels.get(c, c) for c in codes if c != ico_form.NOT_KNOWN]
    return "; ".join(known) if known else NOT_YET_KNOWN


def _special(policy: IncidentsPolicy, codes: list[str]) -> str:
    if not [c for c in codes if c != ico_form.NOT_KNOWN]:
        return NOT_YET_KNOWN
    special = [policy.data_categories.get(c, c) for c in codes if c in policy.special_categories]
    return "Yes: " + "; ".join(special) if special else "No"


def _count(value: int | None) -> Any:
    return NOT_YET_KNOWN if value is None else f"{value:,}"


def _data_and_people(policy: IncidentsPolicy, incident: Incident) -> list[Row]:
    return [
        Row(
            "Categories of personal data included",
            _labels(incident.data_categories, policy.data_categories),
        ),
        Row(
            "Special category or criminal offence data included?",
            _special(policy, incident.data_categories),
        ),
        Row(
            "Approximate number of personal data records concerned", _count(incident.records_count)
        ),
        Row(
            "Categories of data subjects affected",
            _labels(incident.people_categories, policy.people_categories),
        ),
        Row("Are vulnerable people involved?", _yes_no(incident.is_vulnerable)),
        Row("Approximate number of data subjects affected", _count(incident.people_count)),
        Row("Potential consequences for the data subjects", _known(incident.consequences), "lines"),
        Row(
            "Likelihood that data subjects will experience significant consequences",
            answer_text(incident.significant_likelihood, ico_form.LIKELIHOOD),
        ),
        Row("Our grading (NHS likelihood x severity)", _grading(policy, incident)),
    ]


def _grading(policy: IncidentsPolicy, incident: Incident) -> str:
    if incident.likelihood is None or incident.severity is None:
        return NOT_YET_KNOWN
    return (
        f"Likelihood {incident.likelihood}: {policy.likelihood_labels[incident.likelihood - 1]}; "
        f"severity {incident.severity}: {policy.severity_labels[incident.severity - 1]}"
    )


def _cyber(incident: Incident) -> list[Row]:
    if not incident.is_cyber:
        not_cyber = "Not applicable: not a cyber incident"
        return [
            Row("What is the impact on your organisation?", not_cyber),
            Row("What recovery time do you estimate?", not_cyber),
        ]
    impact = answer_text(incident.org_impact, ico_form.IMPACT)
    if incident.impact_detail and impact != NOT_YET_KNOWN:
        impact = f"{impact}\n{incident.impact_detail}"
    return [
        Row("What is the impact on your organisation?", impact, "lines"),
        Row(
            "What recovery time do you estimate?",
            answer_text(incident.recovery_time, ico_form.RECOVERY),
        ),
    ]


def _taking_action(incident: Incident, involved: list[Involved]) -> list[Row]:
    actions = "\n".join(a.description for a in incident.actions) or "None recorded"
    return [
        Row(
            "What have you done to contain the breach and limit the harm?",
            _known(incident.containment),
            "lines",
        ),
        Row("Actions planned or taken", actions, "lines"),
        Row(
            "Measures in place before the breach to prevent one of this kind",
            _known(incident.preventative_measures),
            "lines",
        ),
        Row(
            "Had the staff involved had data protection training in the last two years?",
            training_answer(incident, involved),
            "lines",
        ),
        Row(
            "Had the staff involved received detailed guidance?",
            answer_text(incident.staff_guidance, ico_form.ANSWER),
        ),
        Row("Have you told the data subjects about the breach?", _told(incident), "lines"),
        Row(
            "Have you told, or are you planning to tell, any other organisations?",
            _known(incident.others_told),
            "lines",
        ),
        Row("Reported to DHSC / NHS England?", _dhsc(incident), "lines"),
    ]


def _told(incident: Incident) -> str:
    """UK GDPR Art. 34: told, an exemption relied on, not a high risk, or undecided."""
    if incident.people_told_at is not None:
        told_on = day_text(incident.people_told_at.astimezone(LONDON).date())
        return f"Yes, on {told_on}" + (
            f"\n{incident.people_told_how}" if incident.people_told_how else ""
        )
    if incident.exemption is not None:
        return "No: " + EXEMPTIONS.get(incident.exemption.value, incident.exemption.value)
    if incident.is_high_risk is False:
        return "No: the breach is not likely to result in a high risk to them"
    if incident.is_high_risk:
        return "Not yet: a high risk to them, so they are to be told"
    return NOT_YET_KNOWN


def _dhsc(incident: Incident) -> str:
    sent = [n for n in incident.notifications if n.regulator is Regulator.DHSC]
    if sent:
        return "\n".join(
            f"Yes: {n.phase.value.replace('_', '-')} notification on "
            f"{day_text(n.sent_at.astimezone(LONDON).date())}"
            for n in sent
        )
    return "Not required on the grading" if not incident.is_dhsc_notifiable else "Not yet"


def _organisation(
    policy: IncidentsPolicy, incident: Incident, ico: list[Notification]
) -> list[Row]:
    org = policy.organisation
    before = answer_text(incident.reported_before, ico_form.ANSWER)
    if incident.reported_before_detail and before != NOT_YET_KNOWN:
        before = f"{before}\n{incident.reported_before_detail}"
    recorded = [
        f"{n.phase.value.replace('_', '-').capitalize()} notification on "
        f"{day_text(n.sent_at.astimezone(LONDON).date())}"
        + (f", ICO reference {n.external_reference}" if n.external_reference else "")
        for n in ico
    ]
    return [
        Row("Organisation name", org.name),
        Row("ICO registration number", org.ico_registration_number),
        Row("Sector", org.sector),
        Row(
            "Data protection officer", f"{org.dpo_name}\n{org.dpo_email}\n{org.dpo_phone}", "lines"
        ),
        Row("Have you reported this breach to the ICO before?", before, "lines"),
        Row(
            "Reports of this breach recorded in ig",
            "\n".join(recorded) or "None yet",
            "lines",
        ),
    ]
