"""Forms for the information asset register: filters, an asset, a confirmation."""

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
from ig.assets.rules import (
    CRITICALITY_LABELS,
    FORMAT_LABELS,
    HOSTING_LABELS,
    MAX_RECORDS,
)
from ig.audit.forms import DayMonthYearField
from ig.forms import BoundedForm
from ig.people.forms import ChosenIdField, picker_field


def _choices(labels: dict) -> dict[str, str]:
    return {key.value: label for key, label in labels.items()}


class AssetFilterForm(BoundedForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    q = StringField(
        "Name contains", widget=GovTextInput(), validators=[Optional(), Length(max=bounds.SEARCH)]
    )
    # A search field, never a list of every user: the view resolves the typed name
    # among the assets' owners and carries the chosen id in ``owner``.
    owner_name = StringField("Owner", validators=[Length(max=bounds.SEARCH)])
    owner = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    criticality = SelectField(
        "Criticality",
        widget=GovSelect(),
        choices={"": "Any", **_choices(CRITICALITY_LABELS)},
        validators=[Optional()],
    )
    overdue = SelectField(
        "Confirmation",
        widget=GovSelect(),
        choices={"": "Any", "y": "Overdue only"},
        validators=[Optional()],
    )
    sort = SelectField(
        "Sort by",
        widget=GovSelect(),
        choices={"name": "Name", "confirmation": "Confirmation due", "criticality": "Criticality"},
        validators=[Optional()],
    )
    # As the audit trail recorded them (the IG report's figures link here).
    on = DayMonthYearField(
        "On the register on",
        widget=GovDateInput(),
        description="Overdue then means overdue that day. For example, 30 9 2026",
    )
    confirmed_from = DayMonthYearField(
        "Confirmed from", widget=GovDateInput(), description="For example, 1 7 2026"
    )
    confirmed_to = DayMonthYearField(
        "Confirmed to", widget=GovDateInput(), description="For example, 30 9 2026"
    )
    submit = SubmitField("Filter", widget=GovSubmitInput())


def _text(label: str, message: str, longest: int = bounds.NAME) -> StringField:
    return StringField(
        label, widget=GovTextInput(), validators=[DataRequired(message), Length(max=longest)]
    )


def _long(label: str, required: str | None = None) -> TextAreaField:
    first = DataRequired(required) if required else Optional()
    return TextAreaField(
        label, widget=GovTextArea(), validators=[first, Length(max=bounds.SHORT_TEXT)]
    )


class AssetForm(BoundedForm):
    name = _text("Name", "Enter the asset's name")
    system = _text("System or store it lives in", "Enter the system or store it lives in")
    description = _long("Description", "Enter what the asset holds and what it is for")
    # Pickers (ig.people.pickers): the view resolves the typed name or address.
    owner_name = picker_field("Information Asset Owner")
    owner_user_id = ChosenIdField()
    administrator_name = picker_field("Information asset administrator")
    administrator_user_id = ChosenIdField()
    personal_data = SelectMultipleField(
        "Personal data it holds", widget=GovCheckboxesInput(), validators=[Optional()]
    )
    special_categories = SelectMultipleField(
        "Special category data it holds", widget=GovCheckboxesInput(), validators=[Optional()]
    )
    record_count = IntegerField(
        "Approximate number of records",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the approximate number of records, like 25000"),
            NumberRange(0, MAX_RECORDS, f"Enter a whole number from 0 to {MAX_RECORDS:,}"),
        ],
    )
    asset_format = RadioField(
        "Format",
        widget=GovRadioInput(),
        choices=_choices(FORMAT_LABELS),
        validators=[InputRequired("Select the asset's format")],
    )
    hosting = RadioField(
        "Hosting",
        widget=GovRadioInput(),
        choices=_choices(HOSTING_LABELS),
        validators=[InputRequired("Select where the asset is hosted")],
    )
    location = _long("Where it is kept (site, data centre, supplier region)")
    retention_period = _text("Retention period", "Enter how long its records are kept")
    retention_rule = _text("Retention rule it follows", "Enter the retention rule it follows")
    security_controls = _long("Security controls")
    criticality = RadioField(
        "Business criticality",
        widget=GovRadioInput(),
        choices=_choices(CRITICALITY_LABELS),
        validators=[InputRequired("Select the asset's business criticality")],
    )
    suppliers = TextAreaField(
        "Suppliers (one organisation code or full name a line, from the partner register)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=bounds.SHORT_TEXT)],
    )
    submit = SubmitField("Save asset", widget=GovSubmitInput())


class EditAssetForm(AssetForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class ConfirmForm(BoundedForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    submit = SubmitField("Confirm this entry is accurate", widget=GovSubmitInput())


class LinkForm(BoundedForm):
    kind = SelectField(
        "Kind of record",
        widget=GovSelect(),
        choices={
            "agreement": "Data-sharing agreement that sends data from it",
            "notice": "Privacy notice that describes it",
            "incident": "Incident that involved it",
        },
        validators=[InputRequired("Choose the kind of record")],
    )
    reference = StringField(
        "Reference (or privacy notice number)",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the record's reference"), Length(max=bounds.REFERENCE)],
    )
    submit = SubmitField("Link record", widget=GovSubmitInput())


class UnlinkForm(BoundedForm):
    kind = StringField(widget=HiddenInput(), validators=[InputRequired(), Length(max=20)])
    reference = StringField(
        widget=HiddenInput(), validators=[InputRequired(), Length(max=bounds.REFERENCE)]
    )
