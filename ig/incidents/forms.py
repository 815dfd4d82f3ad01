"""The register's forms: reporting an incident, looking up a person affected, filtering."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ig.api.params import MAX_ID
from ig.bounds import SEARCH
from ig.forms import BoundedForm
from ig.incidents.fields import date_field, text_field, time_field, yes_no_field
from ig.incidents.report_filters import GRADES, NOTIFIED
from ig.people.forms import ChosenIdField, picker_field


class ReportForm(BoundedForm):
    narrative = text_field("What happened?", "Describe what happened")
    occurred_on = date_field("When it happened")
    occurred_time = time_field("Time it happened (24-hour clock)")
    found_on = date_field("When you found out")
    found_time = time_field("Time you found out (24-hour clock)")
    # A picker (ig.people.pickers): the view resolves the typed team.
    team_name = picker_field("Team involved")
    team_id = ChosenIdField()
    is_ongoing = yes_no_field("Is it still happening?")
    submit = SubmitField("Report incident", widget=GovSubmitInput())


class LookupForm(BoundedForm):
    identifier = StringField(
        "Case number or other identifier",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the identifier to look up"), Length(max=200)],
    )
    submit = SubmitField("Look up", widget=GovSubmitInput())


class FilterForm(BoundedForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    reference = StringField(
        "Reference", widget=GovTextInput(), validators=[Optional(), Length(max=20)]
    )
    status = SelectField("Status", widget=GovSelect(), validators=[Optional()], default="")
    incident_type = SelectField("Type", widget=GovSelect(), validators=[Optional()], default="")
    # A search field, not a list of every team: the view resolves the typed name and
    # carries the chosen id in ``team_id`` (see ig.people.pickers).
    team_name = StringField("Team", validators=[Optional(), Length(max=SEARCH)])
    team_id = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    date_from = date_field("Reported from", required=False)
    date_to = date_field("Reported to", required=False)
    notifiable = SelectField(
        "Notifiable to the ICO",
        choices={"": "Any", "yes": "Yes", "no": "No"},
        widget=GovSelect(),
        default="",
    )
    overdue = BooleanField("Only overdue for ICO notification", widget=GovCheckboxInput())
    grade = SelectField(
        "Grading", choices={"": "Any", **GRADES}, widget=GovSelect(), validators=[Optional()]
    )
    notified = SelectField(
        "Notified", choices={"": "Any", **NOTIFIED}, widget=GovSelect(), validators=[Optional()]
    )
    open_on = date_field("Open at the end of", required=False)
    counted = BooleanField(
        "Leave out the withdrawn and duplicates (as the IG report does)",
        widget=GovCheckboxInput(),
    )
    sort = SelectField(
        "Sort by",
        choices={
            "reported": "Reported",
            "reference": "Reference",
            "deadline": "Deadline",
            "status": "Status",
        },
        widget=GovSelect(),
        default="reported",
    )
    order = SelectField(
        "Order",
        choices={"desc": "Newest or highest first", "asc": "Oldest or lowest first"},
        widget=GovSelect(),
        default="desc",
    )
    submit = SubmitField("Filter", widget=GovSubmitInput())
