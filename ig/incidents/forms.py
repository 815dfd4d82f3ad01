"""Incident forms: they check the shape of the input; the services check the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from ig.db import LONDON
from ig.forms import BoundedForm
from ig.incidents import ico_form

TIME = Regexp(r"^([01]?\d|2[0-3]):[0-5]\d$", message="Enter a 24-hour time, like 14:30")
YES_NO = {"yes": "Yes", "no": "No"}
TEXT = 20_000


class DateInput(GovDateInput):
    """The GOV.UK date input, which also renders when the date was not submitted at all."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> Any:
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = None
        return super().map_gov_params(field, **kwargs)


class UKDateField(DateField):
    """A date typed as day, month and year, with the GOV.UK wording when it is not real."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError("Enter a real date, like 27 3 2026") from None


def _date(label: str, required: bool = True) -> DateField:
    checks = [InputRequired(f"Enter {label.lower()}")] if required else [Optional()]
    return UKDateField(label, widget=DateInput(), format="%d %m %Y", validators=checks)


def _time(label: str, required: bool = True) -> StringField:
    checks = [DataRequired("Enter the time, like 14:30")] if required else [Optional()]
    return StringField(label, widget=GovTextInput(), validators=[*checks, TIME])


def _text(label: str, required: str | None = None) -> TextAreaField:
    checks = [DataRequired(required)] if required else [Optional()]
    return TextAreaField(label, widget=GovTextArea(), validators=[*checks, Length(max=TEXT)])


def _yes_no(label: str) -> RadioField:
    return RadioField(
        label,
        choices=YES_NO,
        widget=GovRadioInput(),
        validators=[InputRequired("Choose yes or no")],
    )


def _choice(label: str, choices: dict[str, str]) -> RadioField:
    # An unanswered question stays blank; the view turns the value into its enumeration.
    return RadioField(
        label, choices=choices, widget=GovRadioInput(), validators=[Optional()],
        validate_choice=False,
    )  # fmt: skip


def london_instant(day: dt.date | None, time_text: str | None) -> dt.datetime | None:
    """A UK date and time as a UTC instant (the earlier one when the clocks go back)."""
    if day is None or not time_text:
        return None
    hours, minutes = (int(part) for part in time_text.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes), LONDON).astimezone(dt.UTC)


class ReportForm(BoundedForm):
    narrative = _text("What happened?", "Describe what happened")
    occurred_on = _date("When it happened")
    occurred_time = _time("Time it happened (24-hour clock)")
    found_on = _date("When you found out")
    found_time = _time("Time you found out (24-hour clock)")
    team_id = SelectField(
        "Team involved", coerce=int, widget=GovSelect(), validators=[InputRequired("Choose a team")]
    )
    is_ongoing = _yes_no("Is it still happening?")
    submit = SubmitField("Report incident", widget=GovSubmitInput())


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
    aware_on = _date("When the organisation became aware")
    aware_time = _time("Time the organisation became aware (24-hour clock)")
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
    is_cyber = _yes_no("Is it a cyber incident?")
    is_vulnerable = _yes_no("Are vulnerable people involved?")
    is_ongoing = _yes_no("Is it still happening?")
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
    discovery = _text("How was it discovered?")
    containment = _text("Containment: what has been done to limit the harm?")
    consequences = _text("Likely consequences for the people affected")
    others_told = StringField(
        "Who outside has been told (police, other organisations)?",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=2000)],
    )
    significant_likelihood = _choice(
        "How likely are the people affected to suffer significant consequences?",
        ico_form.LIKELIHOOD,
    )
    preventative_measures = _text("Measures in place before the breach to prevent one like it")
    staff_guidance = _choice(
        "Had the staff involved received detailed guidance on this kind of task?",
        ico_form.ANSWER,
    )
    reported_before = _choice("Has this breach been reported to the ICO before?", ico_form.ANSWER)
    reported_before_detail = StringField(
        "If so, when, how and to whom (for example a call to the ICO's helpline)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=2000)],
    )
    org_impact = _choice("Cyber incidents: the impact on the organisation", ico_form.IMPACT)
    impact_detail = _text("Cyber incidents: the impact, in words")
    recovery_time = _choice("Cyber incidents: the recovery time expected", ico_form.RECOVERY)
    investigation_notes = _text("Investigation notes")
    submit = SubmitField("Save record", widget=GovSubmitInput())


def _grade(label: str) -> RadioField:
    return RadioField(
        label, coerce=int, widget=GovRadioInput(), validators=[InputRequired(f"Choose the {label}")]
    )


class GradeForm(BoundedForm):
    likelihood = _grade("likelihood")
    severity = _grade("severity")
    submit = SubmitField("Save grading", widget=GovSubmitInput())


class OverrideForm(BoundedForm):
    notify_ico = _yes_no("Notify the ICO?")
    notify_dhsc = _yes_no("Notify DHSC and NHS England?")
    reason = _text("Reason for overriding the grid", "Give the reason for overriding the grid")
    submit = SubmitField("Save override", widget=GovSubmitInput())


class NotificationForm(BoundedForm):
    regulator = RadioField(
        "Notified",
        choices={"ico": "ICO", "dhsc": "DHSC / NHS England (DSPT incident tool)"},
        widget=GovRadioInput(),
        validators=[InputRequired("Choose who was notified")],
    )
    phase = RadioField(
        "Phase",
        choices={"initial": "Initial notification", "follow_up": "Follow-up"},
        widget=GovRadioInput(),
        validators=[InputRequired("Choose the phase")],
    )
    sent_on = _date("When it was sent")
    sent_time = _time("Time it was sent (24-hour clock)")
    external_reference = StringField(
        "Their reference (for example the ICO case number)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=60)],
    )
    content = _text("What was sent", "Say what was sent")
    late_reason = _text("Reasons for any delay beyond 72 hours (UK GDPR Art. 33(1))")
    not_yet_known = SelectMultipleField(
        "To the ICO: answers not yet known, to follow (UK GDPR Art. 33(4))",
        choices=ico_form.MANDATORY,
        widget=GovCheckboxesInput(),
        validators=[Optional()],
    )
    follow_up_on = _date("When the answers not yet known will be sent", required=False)
    submit = SubmitField("Record notification", widget=GovSubmitInput())


class ReasonForm(BoundedForm):
    reason = _text("Reason", "Give the reason")
    submit = SubmitField("Save", widget=GovSubmitInput())


class DuplicateForm(BoundedForm):
    original = StringField(
        "Reference of the incident it duplicates",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the reference"), Length(max=20)],
    )
    submit = SubmitField("Mark as duplicate", widget=GovSubmitInput())


class CommunicationForm(BoundedForm):
    is_high_risk = _yes_no("Is there a high risk to the people affected (UK GDPR Art. 34)?")
    told_on = _date("When they were told", required=False)
    told_time = _time("Time they were told (24-hour clock)", required=False)
    told_how = _text("How they were told")
    exemption = RadioField(
        "Exemption relied on instead of telling each person",
        choices={
            "": "None: they were told",
            "unintelligible": "Data unintelligible to others (for example encrypted)",
            "risk_no_longer_likely": "Steps taken mean the high risk is no longer likely",
            "disproportionate_effort": "Disproportionate effort: a public communication instead",
        },
        widget=GovRadioInput(),
        validators=[Optional()],
        default="",
    )
    public_communication = _text("Public communication used")
    submit = SubmitField("Save", widget=GovSubmitInput())


class ActionForm(BoundedForm):
    description = StringField(
        "Action",
        widget=GovTextInput(),
        validators=[DataRequired("Describe the action"), Length(max=500)],
    )
    owner_id = SelectField(
        "Owner", coerce=int, widget=GovSelect(), validators=[InputRequired("Choose an owner")]
    )
    due_on = _date("Due")
    course_code = SelectField("Training course to assign", widget=GovSelect(), default="")
    assign_to = RadioField(
        "Assign the course to",
        choices={"involved": "The staff involved", "team": "The whole team involved"},
        widget=GovRadioInput(),
        validators=[Optional()],
        default="involved",
    )
    submit = SubmitField("Add action", widget=GovSubmitInput())


class CompleteActionForm(BoundedForm):
    completed_on = _date("Completed on")
    submit = SubmitField("Mark done", widget=GovSubmitInput())


class CloseForm(BoundedForm):
    root_cause = _text("Root cause", "Enter the root cause")
    lessons_learned = _text("Lessons learned", "Enter the lessons learned")
    submit = SubmitField("Close incident", widget=GovSubmitInput())


class StaffForm(BoundedForm):
    staff_number = StringField(
        "Staff number",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the staff number"), Length(max=40)],
    )
    submit = SubmitField("Add member of staff", widget=GovSubmitInput())


class AffectedForm(BoundedForm):
    identifier = StringField(
        "Case number or other identifier",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the identifier"), Length(max=200)],
    )
    name = StringField("Name", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    note = _text("How they were affected")
    submit = SubmitField("Add person", widget=GovSubmitInput())


class LookupForm(BoundedForm):
    identifier = StringField(
        "Case number or other identifier",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the identifier to look up"), Length(max=200)],
    )
    submit = SubmitField("Look up", widget=GovSubmitInput())


class FilterForm(BoundedForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    reference = StringField(
        "Reference", widget=GovTextInput(), validators=[Optional(), Length(max=20)]
    )
    status = SelectField("Status", widget=GovSelect(), validators=[Optional()], default="")
    incident_type = SelectField("Type", widget=GovSelect(), validators=[Optional()], default="")
    team_id = SelectField("Team", widget=GovSelect(), validators=[Optional()], default="")
    date_from = _date("Reported from", required=False)
    date_to = _date("Reported to", required=False)
    notifiable = SelectField(
        "Notifiable to the ICO",
        choices={"": "Any", "yes": "Yes", "no": "No"},
        widget=GovSelect(),
        default="",
    )
    overdue = BooleanField("Only overdue for ICO notification", widget=GovCheckboxInput())
    sort = SelectField(
        "Sort by",
        choices={
            "reported": "Reported",
            "reference": "Reference",
            "deadline": "Deadline",
            "status": "Status",
        },
        widget=GovSelect(),
        default="reported",
    )
    order = SelectField(
        "Order",
        choices={"desc": "Newest or highest first", "asc": "Oldest or lowest first"},
        widget=GovSelect(),
        default="desc",
    )
    submit = SubmitField("Filter", widget=GovSubmitInput())


def yes(value: Any) -> bool:
    """A yes/no radio's answer as a boolean."""
    return value == "yes"


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
