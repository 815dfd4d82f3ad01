"""Forms for the staff register and for administering teams and their managers."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from markupsafe import Markup
from wtforms import (
    BooleanField,
    Field,
    IntegerField,
    RadioField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from ig.bounds import SEARCH
from ig.forms import BoundedForm
from ig.people.models import TeamKind

AT_THE_TOP = "Type part of its name, or leave it blank to put it at the top of the hierarchy"
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


def _shown_by_the_picker(_field: Field, **_attributes: Any) -> Markup:
    return Markup("")


class ChosenIdField(Field):
    """The id a picker's autocomplete, or a choice among its matches, sends with the
    typed name. Anything that is not an id counts as none: the typed name then decides.
    The picker macro (templates/_macros/picker.html) writes its input, so the field
    itself renders nothing, even through a form's hidden_tag()."""

    widget = staticmethod(_shown_by_the_picker)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = optional_id(valuelist[0] if valuelist else None)


def picker_field(label: str) -> StringField:
    """The text field of a picker: a name (or code) typed, resolved by the view
    (ig.people.picker_views.picked_in), never a list of every choice."""
    return StringField(label, validators=[Length(max=SEARCH)])


def team_name_field() -> StringField:
    return StringField(
        "Name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the team's name"),
            Length(max=200, message="Enter a name of 200 characters or fewer"),
        ],
    )


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
    # A picker (ig.people.pickers): the service checks the choice (it may be gone).
    parent_name = picker_field("Where it sits (the unit above it)")
    parent_id = ChosenIdField()
    submit = SubmitField("Add team", widget=GovSubmitInput())


class RenameTeamForm(BoundedForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    name = team_name_field()
    submit = SubmitField("Save name", widget=GovSubmitInput())


class MoveTeamForm(BoundedForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    # The service refuses the team itself or one below it.
    parent_name = picker_field("Move it under")
    parent_id = ChosenIdField()
    submit = SubmitField("Move team", widget=GovSubmitInput())


class ManagerForm(BoundedForm):
    user_name = picker_field("User account of the new manager")
    user_id = ChosenIdField()
    submit = SubmitField("Add manager", widget=GovSubmitInput())
