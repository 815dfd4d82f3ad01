"""Forms for the privacy-notice register: filters, a new notice, a review."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from ig.api.params import MAX_ID
from ig.bounds import SEARCH
from ig.forms import BoundedForm
from ig.notices.models import Audience, ReviewOutcome
from ig.notices.review_dates import TIMINGS
from ig.notices.rules import REVIEW_STATE_LABELS
from ig.people.forms import ChosenIdField, picker_field

DATE_FORMAT = "%d %m %Y"


class DatePartsField(DateField):
    """A GOV.UK date (day, month, year inputs); anything but three parts counts as absent,
    so a hand-made request cannot break the re-rendered form."""

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        raw: list[str] | None = getattr(self, "raw_data", None)
        if raw is not None and len(raw) != 3:
            self.raw_data = None


def _filter_date(label: str) -> DatePartsField:
    return DatePartsField(label, widget=GovDateInput(), format=DATE_FORMAT, validators=[Optional()])


class NoticeFilterForm(BoundedForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    service = SelectField("Service", widget=GovSelect(), validators=[Optional()])
    # A search field, never a list of every user: the view resolves the typed name
    # among the notices' owners and carries the chosen id in ``owner``.
    owner_name = StringField("Owner", validators=[Length(max=SEARCH)])
    owner = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    state = SelectField(
        "Review state",
        widget=GovSelect(),
        choices={"": "Any", **{s.value: label for s, label in REVIEW_STATE_LABELS.items()}},
        validators=[Optional()],
    )
    effective_by = _filter_date("In effect by")
    reviewed = SelectField(
        "Reviewed",
        widget=GovSelect(),
        choices={"": "Any", **TIMINGS},
        validators=[Optional()],
        description="On or before the date due (one interval after the review before), or after",
    )
    reviewed_from = _filter_date("Reviewed from")
    reviewed_to = _filter_date("Reviewed to")
    overdue_on = _filter_date("Overdue for review at the end of")
    sort = SelectField(
        "Sort by",
        widget=GovSelect(),
        choices={"next_review": "Next review", "title": "Title", "service": "Service"},
        validators=[Optional()],
    )
    submit = SubmitField("Filter", widget=GovSubmitInput())


class NoticeDetailsForm(BoundedForm):
    """What can be changed about a notice without a review (its text changes by review)."""

    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the notice's title"), Length(max=200)],
    )
    # A picker (ig.people.pickers): the view resolves the typed name or address.
    owner_name = picker_field("Owner")
    owner_user_id = ChosenIdField()
    published_url = StringField(
        "Where it is published (web address)",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the address where the notice is published"),
            Length(max=500),
        ],
    )
    audience = RadioField(
        "Audience",
        widget=GovRadioInput(),
        choices={Audience.PUBLIC.value: "The public", Audience.STAFF.value: "Staff"},
        validators=[InputRequired("Select who the notice is for")],
    )
    processing = TextAreaField(
        "The processing it describes",
        widget=GovTextArea(),
        validators=[DataRequired("Describe the processing the notice covers"), Length(max=5000)],
    )


class EditNoticeForm(NoticeDetailsForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class NoticeForm(NoticeDetailsForm):
    service_key = SelectField(
        "Service it covers",
        widget=GovSelect(),
        validators=[DataRequired("Select the service the notice covers")],
    )
    text = TextAreaField(
        "Text of the notice (or a snapshot of it)",
        widget=GovTextArea(),
        validators=[
            DataRequired("Enter the notice's text, or paste a snapshot of it"),
            Length(max=100_000),
        ],
    )
    effective_on = DatePartsField(
        "Effective from",
        widget=GovDateInput(),
        format=DATE_FORMAT,
        validators=[InputRequired("Enter the date the notice took effect, like 1 4 2026")],
    )
    approved_by = StringField(
        "Approved by",
        widget=GovTextInput(),
        validators=[DataRequired("Enter who approved the notice"), Length(max=200)],
    )
    submit = SubmitField("Save notice", widget=GovSubmitInput())


class ReviewForm(BoundedForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    reviewed_on = DatePartsField(
        "Date of the review",
        widget=GovDateInput(),
        format=DATE_FORMAT,
        validators=[InputRequired("Enter the date of the review, like 1 4 2026")],
    )
    outcome = RadioField(
        "Outcome",
        widget=GovRadioInput(),
        choices={
            ReviewOutcome.NO_CHANGE.value: "No change needed",
            ReviewOutcome.UPDATED.value: "Updated with a new version",
        },
        validators=[InputRequired("Select the outcome of the review")],
    )
    summary = TextAreaField(
        "What changed (for an update)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=5000)],
    )
    text = TextAreaField(
        "Text of the new version",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=100_000)],
    )
    effective_on = DatePartsField(
        "New version effective from",
        widget=GovDateInput(),
        format=DATE_FORMAT,
        validators=[Optional()],
    )
    approved_by = StringField(
        "New version approved by", widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    submit = SubmitField("Record review", widget=GovSubmitInput())
