"""Forms for the processor contract register: filters and a contract."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
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
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from ig import bounds
from ig.api.params import MAX_ID
from ig.audit.forms import DayMonthYearField
from ig.forms import BoundedForm
from ig.people.forms import ChosenIdField, picker_field

FLAG_CHOICES = {
    "": "Any",
    "missing_terms": "Missing terms",
    "ending_soon": "Ending soon",
    "ended": "Ended",
}


class ContractFilterForm(BoundedForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    q = StringField(
        "Title or reference contains",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=bounds.SEARCH)],
    )
    # A search among the contracts' processors, never a list of every organisation.
    processor_name = StringField("Processor", validators=[Length(max=bounds.SEARCH)])
    processor = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    flag = SelectField("Flag", widget=GovSelect(), choices=FLAG_CHOICES, validators=[Optional()])
    # The flags are then judged on that day too (the IG report's figures link here).
    in_force_on = DayMonthYearField(
        "In force on", widget=GovDateInput(), description="For example, 30 9 2026"
    )
    submit = SubmitField("Filter", widget=GovSubmitInput())


def _lines(label: str) -> TextAreaField:
    return TextAreaField(
        label, widget=GovTextArea(), validators=[Optional(), Length(max=bounds.SHORT_TEXT)]
    )


def _date(label: str) -> DayMonthYearField:
    return DayMonthYearField(
        label,
        widget=GovDateInput(),
        validators=[InputRequired(f"Enter the {label.lower()}, like 1 4 2026")],
    )


class ContractForm(BoundedForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the contract's title"), Length(max=bounds.NAME)],
    )
    reference = StringField(
        "Reference",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the contract's reference"), Length(max=bounds.REFERENCE)],
    )
    # Pickers (ig.people.pickers): the view resolves the typed name or code.
    processor_name = picker_field("Processor")
    processor_id = ChosenIdField()
    owner_name = picker_field("Contract owner")
    owner_user_id = ChosenIdField()
    start_on = _date("Start date")
    end_on = _date("End date")
    value_band = RadioField(
        "Value",
        widget=GovRadioInput(),
        validators=[InputRequired("Select the contract's value band")],
    )
    terms = SelectMultipleField(
        "Art. 28(3) terms the contract contains",
        widget=GovCheckboxesInput(),
        validators=[Optional()],
    )
    assets = _lines("Information assets it serves (one asset number or name a line)")
    subprocessors = _lines(
        "Sub-processors (one organisation code or full name a line, from the partner register)"
    )
    notes = _lines("Notes")
    submit = SubmitField("Save contract", widget=GovSubmitInput())


class EditContractForm(ContractForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
