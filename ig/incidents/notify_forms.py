"""Grading, overriding the duties, recording a notification and telling the people affected."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional

from ig.forms import BoundedForm
from ig.incidents import ico_form
from ig.incidents.fields import date_field, text_field, time_field, yes_no_field


def _grade(label: str) -> RadioField:
    return RadioField(
        label, coerce=int, widget=GovRadioInput(), validators=[InputRequired(f"Choose the {label}")]
    )


class GradeForm(BoundedForm):
    likelihood = _grade("likelihood")
    severity = _grade("severity")
    submit = SubmitField("Save grading", widget=GovSubmitInput())


class OverrideForm(BoundedForm):
    notify_ico = yes_no_field("Notify the ICO?")
    notify_dhsc = yes_no_field("Notify DHSC and NHS England?")
    reason = text_field("Reason for overriding the grid", "Give the reason for overriding the grid")
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
    sent_on = date_field("When it was sent")
    sent_time = time_field("Time it was sent (24-hour clock)")
    external_reference = StringField(
        "Their reference (for example the ICO case number)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=60)],
    )
    content = text_field("What was sent", "Say what was sent")
    late_reason = text_field("Reasons for any delay beyond 72 hours (UK GDPR Art. 33(1))")
    not_yet_known = SelectMultipleField(
        "To the ICO: answers not yet known, to follow (UK GDPR Art. 33(4))",
        choices=ico_form.MANDATORY,
        widget=GovCheckboxesInput(),
        validators=[Optional()],
    )
    follow_up_on = date_field("When the answers not yet known will be sent", required=False)
    submit = SubmitField("Record notification", widget=GovSubmitInput())


class CommunicationForm(BoundedForm):
    is_high_risk = yes_no_field("Is there a high risk to the people affected (UK GDPR Art. 34)?")
    told_on = date_field("When they were told", required=False)
    told_time = time_field("Time they were told (24-hour clock)", required=False)
    told_how = text_field("How they were told")
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
    public_communication = text_field("Public communication used")
    submit = SubmitField("Save", widget=GovSubmitInput())
