"""Forms for the staff register."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput, GovTextInput
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import Length, Optional


class StaffSearchForm(FlaskForm):
    """Search the register by name or staff number, optionally with leavers."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    q = StringField(
        "Name or staff number", widget=GovTextInput(), validators=[Optional(), Length(max=100)]
    )
    leavers = BooleanField("Include leavers", widget=GovCheckboxInput())
    submit = SubmitField("Search", widget=GovSubmitInput())
