"""Forms for the record of processing activities: filters and an activity."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from ig import bounds
from ig.forms import BoundedForm
from ig.people.forms import ChosenIdField, picker_field
from ig.processing.rules import BASIS_LABELS, ROLE_LABELS, SAFEGUARD_LABELS

YES_NO = {"yes": "Yes", "no": "No"}


def _choices(labels: dict) -> dict[str, str]:
    return {key.value: label for key, label in labels.items()}


class ActivityFilterForm(BoundedForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    role = SelectField(
        "Role",
        widget=GovSelect(),
        choices=_choices(ROLE_LABELS),
        validators=[Optional()],
    )
    q = StringField(
        "Name contains", widget=GovTextInput(), validators=[Optional(), Length(max=bounds.SEARCH)]
    )
    basis = SelectField(
        "Lawful basis",
        widget=GovSelect(),
        choices={"": "Any", **_choices(BASIS_LABELS)},
        validators=[Optional()],
    )
    consent = SelectField(
        "Relies on consent",
        widget=GovSelect(),
        choices={"": "Any", **YES_NO},
        validators=[Optional()],
    )
    special = SelectField(
        "Special category data",
        widget=GovSelect(),
        choices={"": "Any", **YES_NO},
        validators=[Optional()],
    )
    submit = SubmitField("Filter", widget=GovSubmitInput())


def _text(label: str, message: str) -> StringField:
    return StringField(
        label, widget=GovTextInput(), validators=[DataRequired(message), Length(max=bounds.NAME)]
    )


def _long(label: str, required: str | None = None) -> TextAreaField:
    first = DataRequired(required) if required else Optional()
    return TextAreaField(
        label, widget=GovTextArea(), validators=[first, Length(max=bounds.SHORT_TEXT)]
    )


def _yes_no(label: str, message: str) -> RadioField:
    return RadioField(
        label, widget=GovRadioInput(), choices=YES_NO, validators=[InputRequired(message)]
    )


def _lines(label: str) -> TextAreaField:
    return TextAreaField(
        label, widget=GovTextArea(), validators=[Optional(), Length(max=bounds.SHORT_TEXT)]
    )


class ActivityForm(BoundedForm):
    name = _text("Name of the activity", "Enter the activity's name")
    role = RadioField(
        "The council's role",
        widget=GovRadioInput(),
        choices={
            "controller": "Controller (UK GDPR Art. 30(1))",
            "processor": "Processor for another controller (Art. 30(2))",
        },
        validators=[InputRequired("Select the council's role")],
    )
    controllers = _lines(
        "Joint controllers, or the controller it processes for (one organisation code or "
        "full name a line, from the partner register)"
    )
    purpose = _long("Purpose of the processing", "Enter the purpose of the processing")
    lawful_basis = RadioField(
        "Lawful basis (UK GDPR Art. 6)",
        widget=GovRadioInput(),
        choices=_choices(BASIS_LABELS),
        validators=[InputRequired("Select the lawful basis")],
    )
    people_categories = SelectMultipleField(
        "Categories of people", widget=GovCheckboxesInput(), validators=[Optional()]
    )
    data_categories = SelectMultipleField(
        "Categories of personal data", widget=GovCheckboxesInput(), validators=[Optional()]
    )
    art9_condition = SelectField(
        "Art. 9 condition (for special category data)", widget=GovSelect(), validators=[Optional()]
    )
    schedule_1_condition = SelectField(
        "DPA 2018 Schedule 1 condition", widget=GovSelect(), validators=[Optional()]
    )
    has_policy_document = _yes_no(
        "Is an appropriate policy document in place?", "Say whether a policy document is in place"
    )
    recipients = _long("Recipients")
    safeguard = RadioField(
        "International transfers",
        widget=GovRadioInput(),
        choices=_choices(SAFEGUARD_LABELS),
        validators=[InputRequired("Select whether data goes outside the UK, and how")],
    )
    transfer_detail = _long("Countries and safeguard detail (for a transfer)")
    retention = _text("Retention", "Enter how long the data is kept")
    security_measures = _long("Security measures")
    assets = _lines("Information assets used (one asset number or full name a line)")
    relies_on_consent = _yes_no("Does it rely on consent?", "Say whether it relies on consent")
    is_automated = _yes_no(
        "Does it involve automated decision-making?",
        "Say whether it involves automated decision-making",
    )
    owner_name = picker_field("Owner")
    owner_user_id = ChosenIdField()
    submit = SubmitField("Save activity", widget=GovSubmitInput())


class EditActivityForm(ActivityForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
