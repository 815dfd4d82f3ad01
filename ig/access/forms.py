"""Forms for access to information systems: a request, a decision, a grant, a removal."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import BooleanField, IntegerField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ig import bounds
from ig.api.params import MAX_ID
from ig.audit.forms import DayMonthYearField
from ig.forms import BoundedForm
from ig.people.forms import ChosenIdField, picker_field


def _reason(label: str, message: str) -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovTextArea(),
        validators=[DataRequired(message), Length(max=bounds.SHORT_TEXT)],
    )


class RequestForm(BoundedForm):
    # Pickers, never a list of every asset or person: the view resolves what is typed.
    asset_name = picker_field("Information asset")
    asset_id = ChosenIdField()
    staff_name = picker_field("For a member of your staff (optional)")
    staff_id = ChosenIdField()
    level = RadioField(
        "Level of access",
        widget=GovRadioInput(),
        choices=[],
        validators=[InputRequired("Choose a level of access")],
    )
    reason = _reason("Why is the access needed?", "Enter why the access is needed")
    submit = SubmitField("Ask for access", widget=GovSubmitInput())


class DecisionForm(BoundedForm):
    decision = RadioField(
        "Your decision",
        widget=GovRadioInput(),
        choices={"approve": "Approve", "decline": "Decline"},
        validators=[InputRequired("Choose approve or decline")],
    )
    reason = _reason("Reason", "Enter the reason for your decision")
    submit = SubmitField("Save decision", widget=GovSubmitInput())


class GrantForm(BoundedForm):
    granted_on = DayMonthYearField(
        "Date granted",
        widget=GovDateInput(),
        description="For example, 27 3 2026",
        validators=[InputRequired("Enter the date the access was granted")],
    )
    submit = SubmitField("Record as granted", widget=GovSubmitInput())


class RemoveForm(BoundedForm):
    removed_on = DayMonthYearField(
        "Date removed",
        widget=GovDateInput(),
        description="For example, 27 3 2026",
        validators=[InputRequired("Enter the date the access was removed")],
    )
    removal_reason = _reason("Why was it removed?", "Enter why the access was removed")
    submit = SubmitField("Record as removed", widget=GovSubmitInput())


class ReportForm(BoundedForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    on = DayMonthYearField(
        "Access held on",
        widget=GovDateInput(),
        description="For example, 27 3 2026 (today if empty)",
    )
    # Search fields, never a list of every asset or team: the view resolves the text.
    asset_name = StringField("Information asset", validators=[Length(max=bounds.SEARCH)])
    asset = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    team_name = StringField("Team (and the teams below it)", validators=[Length(max=bounds.SEARCH)])
    team = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    removed_from = DayMonthYearField(
        "Removed from",
        widget=GovDateInput(),
        description="To list access removed between two dates instead of access held",
    )
    removed_to = DayMonthYearField("Removed to", widget=GovDateInput())
    leavers = BooleanField("Only staff who had left by then", widget=GovCheckboxInput())
    submit = SubmitField("Show access", widget=GovSubmitInput())

    def validate_removed_to(self, field: DayMonthYearField) -> None:
        if field.data and self.removed_from.data and field.data < self.removed_from.data:
            raise ValidationError("Removed to must be the same as or after removed from")


class RecertifyForm(BoundedForm):
    # Sent by one of each row's two buttons (templates/access/recertify.html).
    decision = RadioField(
        choices={"keep": "Keep", "remove": "Remove"},
        validators=[InputRequired("Choose keep or remove")],
    )
