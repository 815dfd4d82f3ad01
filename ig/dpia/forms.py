"""Forms for the DPIA register: filters, details, screening, risks, advice and sign-off."""

from __future__ import annotations

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
from ig.audit.forms import DayMonthYearField
from ig.dpia.models import IcoDecision
from ig.dpia.register import NO_RISKS, SHOWN_LABELS
from ig.dpia.rules import RiskLevel
from ig.forms import BoundedForm
from ig.people.forms import ChosenIdField, picker_field


def _day(label: str, hint: str = "") -> DayMonthYearField:
    """An optional date of the register's filter."""
    example = "For example, 30 9 2026"
    return DayMonthYearField(
        label, widget=GovDateInput(), description=f"{hint}. {example}" if hint else example
    )


class DpiaFilterForm(BoundedForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    status = SelectField(
        "Status",
        widget=GovSelect(),
        choices={"": "Any", **{s.value: label for s, label in SHOWN_LABELS.items()}},
        validators=[Optional()],
    )
    residual = SelectField(
        "Highest residual risk",
        widget=GovSelect(),
        choices={"": "Any", **{r.value: r.label for r in RiskLevel}, NO_RISKS: "Not assessed"},
        validators=[Optional()],
    )
    overdue = SelectField(
        "Review",
        widget=GovSelect(),
        choices={"": "Any", "yes": "Review overdue"},
        validators=[Optional()],
    )
    sort = SelectField(
        "Sort by",
        widget=GovSelect(),
        choices={
            "attention": "Needs attention first",
            "updated": "Last changed",
            "title": "Title",
            "review": "Review date",
            "residual": "Residual risk",
        },
        validators=[Optional()],
    )
    # As the audit trail recorded each fact (the IG report's figures link here).
    open_on = _day("Open on", "Started and not signed off that day")
    overdue_on = _day("Review overdue on", "Signed off, with the review overdue that day")
    signed_from = _day("Signed off from")
    signed_to = _day("Signed off to")
    signed_high = BooleanField(
        "Only those signed off with a high residual risk", widget=GovCheckboxInput()
    )
    consulted_from = _day("ICO consulted from")
    consulted_to = _day("ICO consulted to")
    submit = SubmitField("Filter", widget=GovSubmitInput())


class Versioned(BoundedForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class ButtonForm(BoundedForm):
    """A button that needs only the CSRF token (unlink an agreement)."""

    submit = SubmitField("Remove", widget=GovSubmitInput())


class ConfirmForm(Versioned):
    """A button that changes a DPIA's state (submit, sign off, remove a risk)."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class DpiaForm(BoundedForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the DPIA's title"), Length(max=bounds.NAME)],
    )
    description = TextAreaField(
        "Description of the processing",
        description="What is done with whose data, why, and by what means (encrypted)",
        widget=GovTextArea(),
        validators=[
            DataRequired("Describe the processing the DPIA assesses"),
            Length(max=bounds.LONG_TEXT),
        ],
    )
    # A picker (ig.people.pickers): the view resolves the typed name or address.
    owner_name = picker_field("Owner")
    owner_user_id = ChosenIdField()
    submit = SubmitField("Save DPIA", widget=GovSubmitInput())


class EditDpiaForm(DpiaForm, Versioned):
    pass


class ScreeningForm(Versioned):
    criteria = SelectMultipleField(
        "Which of these apply to the processing?",
        description="Select all that apply, or none",
        widget=GovCheckboxesInput(),
        validators=[Optional()],
    )
    submit = SubmitField("Record screening", widget=GovSubmitInput())


class RiskForm(Versioned):
    description = TextAreaField(
        "The risk to people",
        widget=GovTextArea(),
        validators=[DataRequired("Describe the risk to people"), Length(max=bounds.SHORT_TEXT)],
    )
    likelihood = SelectField(
        "Likelihood", widget=GovSelect(), coerce=int, validators=[InputRequired()]
    )
    severity = SelectField("Severity", widget=GovSelect(), coerce=int, validators=[InputRequired()])
    measures = TextAreaField(
        "Measures to reduce or remove the risk",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=bounds.SHORT_TEXT)],
    )
    residual_likelihood = SelectField(
        "Residual likelihood (after the measures)",
        widget=GovSelect(),
        coerce=int,
        validators=[InputRequired()],
    )
    residual_severity = SelectField(
        "Residual severity (after the measures)",
        widget=GovSelect(),
        coerce=int,
        validators=[InputRequired()],
    )
    submit = SubmitField("Save risk", widget=GovSubmitInput())


class DpoAdviceForm(Versioned):
    advice = TextAreaField(
        "The DPO's advice",
        widget=GovTextArea(),
        validators=[DataRequired("Enter the DPO's advice"), Length(max=bounds.LONG_TEXT)],
    )
    given_on = DayMonthYearField(
        "Date of the advice",
        widget=GovDateInput(),
        validators=[InputRequired("Enter the date of the advice, like 1 4 2026")],
    )
    followed = RadioField(
        "Was the advice followed?",
        widget=GovRadioInput(),
        choices={"yes": "Yes", "no": "No"},
        validators=[InputRequired("Say whether the advice was followed")],
    )
    reason_not_followed = TextAreaField(
        "If not, why not",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=bounds.SHORT_TEXT)],
    )
    submit = SubmitField("Record advice", widget=GovSubmitInput())


class IcoForm(Versioned):
    decision = RadioField(
        "Prior consultation with the ICO (UK GDPR Art. 36)",
        widget=GovRadioInput(),
        choices={
            IcoDecision.CONSULTED.value: "The ICO was consulted",
            IcoDecision.NOT_CONSULTED.value: "The ICO was not consulted",
        },
        validators=[InputRequired("Select whether the ICO was consulted")],
    )
    consulted_on = DayMonthYearField(
        "Date the ICO was consulted",
        widget=GovDateInput(),
        validators=[Optional()],
    )
    reference = StringField(
        "The ICO's reference",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=60)],
    )
    notes = TextAreaField(
        "The ICO's advice, or why it was not consulted",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=bounds.SHORT_TEXT)],
    )
    submit = SubmitField("Record decision", widget=GovSubmitInput())


class ReviewForm(Versioned):
    reviewed_on = DayMonthYearField(
        "Date of the review",
        widget=GovDateInput(),
        validators=[InputRequired("Enter the date of the review, like 1 4 2026")],
    )
    submit = SubmitField("Record review", widget=GovSubmitInput())


class LinkForm(BoundedForm):
    reference = StringField(
        "Agreement reference",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the agreement's reference"), Length(max=60)],
    )
    submit = SubmitField("Link agreement", widget=GovSubmitInput())


class ActivityLinkForm(BoundedForm):
    activity = StringField(
        "Processing activity",
        description="Its number (in its page's address) or its full name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the processing activity's number or name"),
            Length(max=200),
        ],
    )
    submit = SubmitField("Link activity", widget=GovSubmitInput())


class AssetLinkForm(BoundedForm):
    asset = StringField(
        "Information asset",
        description="Its number (in its page's address) or its full name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the information asset's number or name"), Length(max=200)],
    )
    submit = SubmitField("Link asset", widget=GovSubmitInput())
