"""Forms of the decision log: the request, the assessment, the decision, amendments, filters."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    Field,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ig.audit.forms import DayMonthYearField
from ig.caldicott.policy import CaldicottPolicy
from ig.caldicott.rules import OUTCOME_LABELS
from ig.forms import BoundedForm
from ig.people.forms import ChosenIdField, picker_field

TEXT = 20_000  # longest free text accepted, in characters
YES_NO = {"no": "No", "yes": "Yes"}


def _required(message: str) -> list[Any]:
    return [DataRequired(message)]


class RequestForm(BoundedForm):
    received_on = DayMonthYearField(
        "Date received",
        widget=GovDateInput(),
        description="For example, 27 3 2026",
        validators=[InputRequired("Enter the date received")],
    )
    requester_name = StringField(
        "Name of the person asking",
        widget=GovTextInput(),
        validators=[*_required("Enter who is asking"), Length(max=200)],
    )
    requester_role = StringField(
        "Their role",
        widget=GovTextInput(),
        validators=[*_required("Enter their role"), Length(max=200)],
    )
    # A picker (ig.people.pickers): the view resolves the typed name or code.
    organisation_name = picker_field("Their organisation")
    organisation_id = ChosenIdField()
    channel = SelectField("How the request arrived", widget=GovSelect(), validate_choice=False)
    request_type = RadioField(
        "Type of request",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[*_required("Select the type of request")],
    )
    purpose = TextAreaField(
        "Purpose",
        widget=GovTextArea(),
        validators=[*_required("Enter the purpose"), Length(max=TEXT)],
    )
    information = TextAreaField(
        "Information involved",
        widget=GovTextArea(),
        description="What records or data items are asked for",
        validators=[*_required("Enter the information involved"), Length(max=TEXT)],
    )
    categories = SelectMultipleField(
        "Categories of information",
        widget=GovCheckboxesInput(),
        validate_choice=False,
        validators=[*_required("Select the categories involved")],
    )
    people_count = IntegerField(
        "How many people's information",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter how many people, 1 or more"),
            NumberRange(min=1, max=100_000_000, message="Enter how many people, 1 or more"),
        ],
    )
    includes_deceased = RadioField(
        "Are any of them deceased?", widget=GovRadioInput(), choices=YES_NO, default="no"
    )
    urgency = RadioField(
        "Urgency",
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[*_required("Select how urgent the request is")],
    )
    needed_by = DayMonthYearField(
        "Decision needed by",
        widget=GovDateInput(),
        description="For example, 3 4 2026",
        validators=[InputRequired("Enter the date a decision is needed by")],
    )
    case_details = TextAreaField(
        "Details of the case",
        widget=GovTextArea(),
        description="Encrypted. Only the IG team and Guardians see it.",
        validators=[*_required("Enter the details of the case"), Length(max=TEXT)],
    )
    identifiers = TextAreaField(
        "Identifiers of the people concerned (optional)",
        widget=GovTextArea(),
        description="One a line: case numbers or NHS numbers. Encrypted; "
        "used to find earlier decisions about the same person.",
        validators=[Optional(), Length(max=TEXT)],
    )
    submit = SubmitField("Raise request", widget=GovSubmitInput())

    def set_choices(self, policy: CaldicottPolicy) -> None:
        self.channel.choices = dict(policy.channels)
        self.request_type.choices = dict(policy.request_types)
        self.categories.choices = dict(policy.data_categories)
        self.urgency.choices = dict(policy.urgency)


def _principle_field(number: int, title: str) -> Field:
    return TextAreaField(
        f"{number}. {title}",
        widget=GovTextArea(),
        validators=[*_required(f"Say how principle {number} is met"), Length(max=TEXT)],
    )


class AssessmentForm(BoundedForm):
    row_version = HiddenField()
    article6 = SelectField("UK GDPR Article 6 condition", widget=GovSelect(), validate_choice=False)
    article9 = SelectField(
        "Article 9 condition (special category data)", widget=GovSelect(), validate_choice=False
    )
    article10 = SelectField(
        "Article 10 condition (criminal offence data)", widget=GovSelect(), validate_choice=False
    )
    confidentiality_basis = SelectField(
        "Common-law duty of confidentiality", widget=GovSelect(), validate_choice=False
    )
    legal_basis_note = TextAreaField(
        "Notes on the legal basis (optional)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=TEXT)],
    )
    consultations = TextAreaField(
        "People consulted and their advice (optional)",
        widget=GovTextArea(),
        description="One a line: who, a colon, then their advice. For example, "
        "Legal services: the s. 115 gateway applies",
        validators=[Optional(), Length(max=TEXT)],
    )
    recommended_outcome = RadioField(
        "Recommendation",
        widget=GovRadioInput(),
        choices=dict(OUTCOME_LABELS),
        validate_choice=False,
        validators=[*_required("Select the recommendation")],
    )
    recommendation = TextAreaField(
        "Why",
        widget=GovTextArea(),
        validators=[*_required("Enter the recommendation and why"), Length(max=TEXT)],
    )
    submit = SubmitField("Save assessment", widget=GovSubmitInput())

    def set_choices(self, policy: CaldicottPolicy) -> None:
        self.article6.choices = dict(policy.legal_bases["article6"])
        self.article9.choices = dict(policy.legal_bases["article9"])
        self.article10.choices = dict(policy.legal_bases["article10"])
        self.confidentiality_basis.choices = dict(policy.legal_bases["confidentiality"])


def assessment_form_class(policy: CaldicottPolicy) -> type[AssessmentForm]:
    """The assessment form with one note field per principle in the policy."""
    fields = {f"principle_{p.key}": _principle_field(p.number, p.title) for p in policy.principles}
    return type("PrinciplesAssessmentForm", (AssessmentForm,), fields)


class DecisionForm(BoundedForm):
    row_version = HiddenField()
    outcome = RadioField(
        "Decision",
        widget=GovRadioInput(),
        choices=dict(OUTCOME_LABELS),
        validate_choice=False,
        validators=[*_required("Select the decision")],
    )
    conditions = TextAreaField(
        "Conditions (for an approval with conditions)",
        widget=GovTextArea(),
        description="One a line",
        validators=[Optional(), Length(max=TEXT)],
    )
    reasons = TextAreaField(
        "Reasons",
        widget=GovTextArea(),
        validators=[*_required("Enter the reasons for the decision"), Length(max=TEXT)],
    )
    review_on = DayMonthYearField(
        "Review date (for a continuing use)",
        widget=GovDateInput(),
        description="Leave blank for the usual interval for this type of request, if it has one",
    )
    password = PasswordField(
        "Your password", widget=GovPasswordInput(), validators=[Optional(), Length(max=256)]
    )
    code = StringField(
        "Code from your authenticator app",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=16)],
    )
    submit = SubmitField("Sign decision", widget=GovSubmitInput())


class AmendmentForm(BoundedForm):
    reason = TextAreaField(
        "Why is the decision being amended?",
        widget=GovTextArea(),
        validators=[*_required("Enter why the decision is being amended"), Length(max=TEXT)],
    )
    submit = SubmitField("Start amendment", widget=GovSubmitInput())


class IdentifierSearchForm(BoundedForm):
    identifier = StringField(
        "Identifier",
        widget=GovTextInput(),
        description="An exact case number or NHS number",
        validators=[*_required("Enter an identifier"), Length(max=200)],
    )
    submit = SubmitField("Find decisions", widget=GovSubmitInput())


class LinkForm(BoundedForm):
    kind = RadioField(
        "What to link",
        widget=GovRadioInput(),
        choices={
            "incident": "An incident (for breach advice)",
            "agreement": "A data-sharing agreement",
        },
        validators=[DataRequired("Choose an incident or an agreement")],
    )
    reference = StringField(
        "Reference",
        widget=GovTextInput(),
        description="For example INC-2026-000123 or the agreement's reference",
        validators=[DataRequired("Enter the reference of the record to link"), Length(max=40)],
    )
    submit = SubmitField("Link record", widget=GovSubmitInput())
