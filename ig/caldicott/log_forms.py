"""The Caldicott log's filter: a GET form, so it changes nothing and needs no CSRF token."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovSelect,
    GovSubmitInput,
)
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import Length, NumberRange, Optional

from ig.api.params import MAX_ID
from ig.audit.forms import DayMonthYearField
from ig.bounds import SEARCH
from ig.caldicott.policy import CaldicottPolicy
from ig.caldicott.rules import OUTCOME_LABELS, SORT_LABELS, STATUS_LABELS
from ig.forms import BoundedForm


class LogFilterForm(BoundedForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    status = SelectField(
        "Status", widget=GovSelect(), choices={"": "Any status", **STATUS_LABELS}, default=""
    )
    request_type = SelectField("Type", widget=GovSelect(), default="")
    outcome = SelectField(
        "Outcome", widget=GovSelect(), choices={"": "Any outcome", **OUTCOME_LABELS}, default=""
    )
    # A search field, not a list of every organisation (there may be thousands): the
    # view resolves the typed name or code, and carries the chosen id in ``organisation``.
    organisation_name = StringField("Requesting organisation", validators=[Length(max=SEARCH)])
    organisation = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    received_from = DayMonthYearField("Received from", widget=GovDateInput())
    received_to = DayMonthYearField("Received to", widget=GovDateInput())
    decided_from = DayMonthYearField("First decided from", widget=GovDateInput())
    decided_to = DayMonthYearField("First decided to", widget=GovDateInput())
    awaiting_on = DayMonthYearField(
        "Awaiting a decision on",
        widget=GovDateInput(),
        description="Received by then, with no decision signed by then",
    )
    first_outcome = SelectField(
        "Outcome of the first decision",
        widget=GovSelect(),
        choices={"": "Any outcome", **OUTCOME_LABELS},
        default="",
    )
    on_time = BooleanField("Only those first decided by the date needed", widget=GovCheckboxInput())
    sort = SelectField("Sort by", widget=GovSelect(), choices=SORT_LABELS, default="received")
    order = SelectField(
        "Order",
        widget=GovSelect(),
        choices={"desc": "Newest or latest first", "asc": "Oldest first"},
        default="desc",
    )
    submit = SubmitField("Filter", widget=GovSubmitInput())

    def set_choices(self, policy: CaldicottPolicy) -> None:
        self.request_type.choices = {"": "Any type", **policy.request_types}
