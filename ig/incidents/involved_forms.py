"""Adding a member of staff involved or a person affected to an incident."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from ig.forms import BoundedForm
from ig.incidents.fields import text_field


class StaffForm(BoundedForm):
    staff_number = StringField(
        "Staff number",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the staff number"), Length(max=40)],
    )
    submit = SubmitField("Add member of staff", widget=GovSubmitInput())


class AffectedForm(BoundedForm):
    identifier = StringField(
        "Case number or other identifier",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the identifier"), Length(max=200)],
    )
    name = StringField("Name", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    note = text_field("How they were affected")
    submit = SubmitField("Add person", widget=GovSubmitInput())
