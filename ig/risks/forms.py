"""Forms for the IG risk register: filters, a risk, a review, an action, closing, links."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from ig import bounds
from ig.api.params import MAX_ID
from ig.forms import BoundedForm
from ig.people.forms import ChosenIdField, picker_field
from ig.risks.register import SORT_LABELS

DATE_FORMAT = "%d %m %Y"
LEVEL_CHOICES = {str(n): str(n) for n in range(1, 6)}  # labelled from the policy by the view


class DatePartsField(DateField):
    """A GOV.UK date (day, month, year inputs); anything but three parts counts as absent,
    so a hand-made request cannot break the re-rendered form."""

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        raw: list[str] | None = getattr(self, "raw_data", None)
        if raw is not None and len(raw) != 3:
            self.raw_data = None


def _date(label: str, required: str | None, hint: str = "For example, 27 3 2027") -> Any:
    first = InputRequired(required) if required else Optional()
    return DatePartsField(label, format=DATE_FORMAT, validators=[first], description=hint)


def _level(label: str, message: str) -> SelectField:
    return SelectField(
        label, widget=GovSelect(), choices=LEVEL_CHOICES, validators=[InputRequired(message)]
    )


def _long(label: str, required: str | None = None, hint: str = "") -> TextAreaField:
    first = DataRequired(required) if required else Optional()
    return TextAreaField(
        label,
        widget=GovTextArea(),
        description=hint,
        validators=[first, Length(max=bounds.SHORT_TEXT)],
    )


class RiskFilterForm(BoundedForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    q = StringField("Title contains", validators=[Optional(), Length(max=bounds.SEARCH)])
    status = SelectField(
        "Status",
        choices={"open": "Open", "closed": "Closed", "any": "Open or closed"},
        validators=[Optional()],
    )
    category = SelectField("Category", validators=[Optional()])
    overdue = SelectField(
        "Review", choices={"": "Any", "y": "Overdue only"}, validators=[Optional()]
    )
    above = SelectField(
        "Appetite", choices={"": "Any", "y": "Above appetite only"}, validators=[Optional()]
    )
    # A search field, never a list of every user: the view resolves the typed name
    # among the risks' owners and carries the chosen id in ``owner``.
    owner_name = StringField("Owner", validators=[Optional(), Length(max=bounds.SEARCH)])
    owner = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    on = _date("Open at the end of (a past day)", None, "Scores and reviews as they stood that day")
    sort = SelectField("Sort by", choices=SORT_LABELS, validators=[Optional()])
    submit = SubmitField("Filter")


class RiskForm(BoundedForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the risk's title"), Length(max=bounds.NAME)],
    )
    category = SelectField("Category", validators=[InputRequired("Select the risk's category")])
    owner_name = picker_field("Risk owner")
    owner_user_id = ChosenIdField()
    cause = _long("Cause", "Enter what could bring the risk about", "What could make it happen")
    effect = _long("Effect", "Enter what would follow if it happened", "What would follow")
    controls = _long("Controls in place", hint="What already reduces the risk")
    target_likelihood = _level("Target likelihood", "Select the target likelihood")
    target_impact = _level("Target impact", "Select the target impact")
    submit = SubmitField("Save risk", widget=GovSubmitInput())


class NewRiskForm(RiskForm):
    likelihood = _level("Current likelihood", "Select the current likelihood")
    impact = _level("Current impact", "Select the current impact")
    next_review_on = _date("Next review", None, "Leave blank for the interval its rating gives")


class EditRiskForm(RiskForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class ReviewForm(BoundedForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    reviewed_on = _date("Date of the review", "Enter the date of the review, like 1 4 2027")
    likelihood = _level("Likelihood now", "Select the likelihood now")
    impact = _level("Impact now", "Select the impact now")
    note = _long("What the review found", hint="The controls' effect, what has changed")
    next_review_on = _date("Next review", None, "Leave blank for the interval its rating gives")
    submit = SubmitField("Record review", widget=GovSubmitInput())


class ActionForm(BoundedForm):
    description = _long("Action", "Enter what is to be done")
    owner_name = picker_field("Who will do it")
    owner_user_id = ChosenIdField()
    due_on = _date("Due by", "Enter the date it is due, like 1 4 2027")
    submit = SubmitField("Add action", widget=GovSubmitInput())


class CompleteActionForm(BoundedForm):
    """Marks an action done today (the date is the service's to check)."""

    submit = SubmitField("Mark done", widget=GovSubmitInput())


class CloseForm(BoundedForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    closed_on = _date("Closed on", "Enter the date the risk closed, like 1 4 2027")
    reason = _long("Why the risk is closed", "Enter why the risk is closed")
    submit = SubmitField("Close risk", widget=GovSubmitInput())


class LinkForm(BoundedForm):
    kind = SelectField(
        "Kind of record",
        widget=GovSelect(),
        choices={
            "incident": "Incident (its reference)",
            "dpia": "DPIA (its number)",
            "asset": "Information asset (its number or name)",
        },
        validators=[InputRequired("Choose the kind of record")],
    )
    reference = StringField(
        "Reference, number or name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the record's reference"), Length(max=bounds.NAME)],
    )
    submit = SubmitField("Link record", widget=GovSubmitInput())


class UnlinkForm(BoundedForm):
    kind = StringField(widget=HiddenInput(), validators=[InputRequired(), Length(max=20)])
    reference = StringField(
        widget=HiddenInput(), validators=[InputRequired(), Length(max=bounds.REFERENCE)]
    )
