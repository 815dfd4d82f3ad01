"""Actions, status changes with a reason, marking a duplicate and closing an incident."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from ig.forms import BoundedForm
from ig.incidents.fields import date_field, text_field
from ig.people.forms import ChosenIdField, picker_field


class ActionForm(BoundedForm):
    description = StringField(
        "Action",
        widget=GovTextInput(),
        validators=[DataRequired("Describe the action"), Length(max=500)],
    )
    # A picker (ig.people.pickers): the view resolves the typed name or address.
    owner_name = picker_field("Owner")
    owner_id = ChosenIdField()
    due_on = date_field("Due")
    course_code = SelectField("Training course to assign", widget=GovSelect(), default="")
    assign_to = RadioField(
        "Assign the course to",
        choices={"involved": "The staff involved", "team": "The whole team involved"},
        widget=GovRadioInput(),
        validators=[Optional()],
        default="involved",
    )
    submit = SubmitField("Add action", widget=GovSubmitInput())


class CompleteActionForm(BoundedForm):
    completed_on = date_field("Completed on")
    submit = SubmitField("Mark done", widget=GovSubmitInput())


class ReasonForm(BoundedForm):
    reason = text_field("Reason", "Give the reason")
    submit = SubmitField("Save", widget=GovSubmitInput())


class DuplicateForm(BoundedForm):
    original = StringField(
        "Reference of the incident it duplicates",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the reference"), Length(max=20)],
    )
    submit = SubmitField("Mark as duplicate", widget=GovSubmitInput())


class CloseForm(BoundedForm):
    root_cause = text_field("Root cause", "Enter the root cause")
    lessons_learned = text_field("Lessons learned", "Enter the lessons learned")
    submit = SubmitField("Close incident", widget=GovSubmitInput())


class ActionFilterForm(BoundedForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    overdue_on = date_field("Overdue at the end of", required=False)
    submit = SubmitField("Filter", widget=GovSubmitInput())
