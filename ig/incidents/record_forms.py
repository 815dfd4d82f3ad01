"""The IG team's record of an incident: the triage form and the details form."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ig.forms import BoundedForm
from ig.incidents import ico_form
from ig.incidents.fields import choice_field, date_field, text_field, time_field, yes_no_field


class TriageForm(BoundedForm):
    kind = RadioField(
        "What is it?",
        choices={
            "breach": "A personal-data breach",
            "near_miss": "A near miss",
            "not_incident": "Not an incident",
        },
        widget=GovRadioInput(),
        validators=[InputRequired("Choose what the report is")],
    )
    aware_on = date_field("When the organisation became aware")
    aware_time = time_field("Time the organisation became aware (24-hour clock)")
    submit = SubmitField("Save triage", widget=GovSubmitInput())


class DetailsForm(BoundedForm):
    version = HiddenField()
    incident_type = SelectField(
        "Type of incident", widget=GovSelect(), validators=[DataRequired("Choose the type")]
    )
    cia = SelectMultipleField(
        "What was affected?",
        choices={
            "confidentiality": "Confidentiality (disclosed or accessed)",
            "integrity": "Integrity (altered)",
            "availability": "Availability (lost or unavailable)",
        },
        widget=GovCheckboxesInput(),
        validators=[DataRequired("Choose at least one")],
    )
    is_cyber = yes_no_field("Is it a cyber incident?")
    is_vulnerable = yes_no_field("Are vulnerable people involved?")
    is_ongoing = yes_no_field("Is it still happening?")
    data_categories = SelectMultipleField(
        "Categories of personal data", widget=GovCheckboxesInput(), validators=[Optional()]
    )
    people_categories = SelectMultipleField(
        "Categories of people", widget=GovCheckboxesInput(), validators=[Optional()]
    )
    people_count = IntegerField(
        "Approximate number of people affected",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=0, message="Enter 0 or more")],
    )
    records_count = IntegerField(
        "Approximate number of records",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=0, message="Enter 0 or more")],
    )
    discovery = text_field("How was it discovered?")
    containment = text_field("Containment: what has been done to limit the harm?")
    consequences = text_field("Likely consequences for the people affected")
    others_told = StringField(
        "Who outside has been told (police, other organisations)?",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=2000)],
    )
    significant_likelihood = choice_field(
        "How likely are the people affected to suffer significant consequences?",
        ico_form.LIKELIHOOD,
    )
    preventative_measures = text_field("Measures in place before the breach to prevent one like it")
    staff_guidance = choice_field(
        "Had the staff involved received detailed guidance on this kind of task?",
        ico_form.ANSWER,
    )
    reported_before = choice_field(
        "Has this breach been reported to the ICO before?", ico_form.ANSWER
    )
    reported_before_detail = StringField(
        "If so, when, how and to whom (for example a call to the ICO's helpline)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=2000)],
    )
    org_impact = choice_field("Cyber incidents: the impact on the organisation", ico_form.IMPACT)
    impact_detail = text_field("Cyber incidents: the impact, in words")
    recovery_time = choice_field("Cyber incidents: the recovery time expected", ico_form.RECOVERY)
    investigation_notes = text_field("Investigation notes")
    submit = SubmitField("Save record", widget=GovSubmitInput())


def details_defaults(incident: Any) -> dict[str, Any]:
    """The details form's starting values, from the incident as recorded."""
    flags = {"confidentiality": incident.is_confidentiality, "integrity": incident.is_integrity}
    flags["availability"] = incident.is_availability
    answer = {True: "yes", False: "no"}
    return {
        "version": str(incident.version),
        "incident_type": incident.incident_type or "",
        "cia": [name for name, on in flags.items() if on],
        "is_cyber": answer[incident.is_cyber],
        "is_vulnerable": answer[incident.is_vulnerable],
        "is_ongoing": answer[incident.is_ongoing],
        "data_categories": list(incident.data_categories),
        "people_categories": list(incident.people_categories),
        "people_count": incident.people_count,
        "records_count": incident.records_count,
        "others_told": incident.others_told,
        "discovery": incident.discovery or "",
        "containment": incident.containment or "",
        "consequences": incident.consequences or "",
        "investigation_notes": incident.investigation_notes or "",
        "significant_likelihood": _value(incident.significant_likelihood),
        "preventative_measures": incident.preventative_measures or "",
        "staff_guidance": _value(incident.staff_guidance),
        "reported_before": _value(incident.reported_before),
        "reported_before_detail": incident.reported_before_detail,
        "org_impact": _value(incident.org_impact),
        "impact_detail": incident.impact_detail or "",
        "recovery_time": _value(incident.recovery_time),
    }


def _value(choice: Any) -> str | None:
    return choice.value if choice is not None else None
