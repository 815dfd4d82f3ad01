"""Forms for the staff register and for administering teams and their managers."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from ig.forms import BoundedForm
from ig.people.models import TeamKind

AT_THE_TOP = "None: it is at the top of the hierarchy"
KIND_CHOICES = {
    TeamKind.DIRECTORATE.value: "Directorate",
    TeamKind.SERVICE.value: "Service",
    TeamKind.TEAM.value: "Team",
}


def optional_id(value: Any) -> int | None:
    """A chosen record's id, or None for no choice or anything that is not an id (the
    service then says what to choose), so a hand-made request cannot break the page."""
    if isinstance(value, int):
        return value
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def team_name_field() -> StringField:
    return StringField(
        "Name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the team's name"),
            Length(max=200, message="Enter a name of 200 characters or fewer"),
        ],
    )


def parent_field(label: str) -> SelectField:
    # The service checks the choice (it may be gone, or below the team being moved).
    return SelectField(label, widget=GovSelect(), validate_choice=False)


class StaffSearchForm(BoundedForm):
    """Search the register by name or staff number, optionally with leavers."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    q = StringField(
        "Name or staff number", widget=GovTextInput(), validators=[Optional(), Length(max=100)]
    )
    leavers = BooleanField("Include leavers", widget=GovCheckboxInput())
    submit = SubmitField("Search", widget=GovSubmitInput())


class TeamForm(BoundedForm):
    """A new directorate, service or team, and where it sits."""

    name = team_name_field()
    kind = RadioField(
        "What kind of unit is it?",
        widget=GovRadioInput(),
        choices=KIND_CHOICES,
        validators=[InputRequired("Select whether it is a directorate, a service or a team")],
    )
    parent_id = parent_field("Where it sits (the unit above it)")
    submit = SubmitField("Add team", widget=GovSubmitInput())


class RenameTeamForm(BoundedForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    name = team_name_field()
    submit = SubmitField("Save name", widget=GovSubmitInput())


class MoveTeamForm(BoundedForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    parent_id = parent_field("Move it under")
    submit = SubmitField("Move team", widget=GovSubmitInput())


class ManagerForm(BoundedForm):
    user_id = SelectField(
        "User account of the new manager",
        widget=GovSelect(),
        coerce=optional_id,
        validate_choice=False,
    )
    submit = SubmitField("Add manager", widget=GovSubmitInput())
