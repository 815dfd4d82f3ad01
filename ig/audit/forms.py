"""The audit trail's filter form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSubmitInput, GovTextInput
from wtforms import DateField, StringField, SubmitField
from wtforms.validators import Length, Optional


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    actor = StringField(
        "Person (e-mail contains)", widget=GovTextInput(), validators=[Optional(), Length(max=320)]
    )
    record_type = StringField(
        "Record type", widget=GovTextInput(), validators=[Optional(), Length(max=80)]
    )
    record_id = StringField(
        "Record id", widget=GovTextInput(), validators=[Optional(), Length(max=80)]
    )
    action = StringField("Action", widget=GovTextInput(), validators=[Optional(), Length(max=80)])
    date_from = DateField("From", widget=GovDateInput(), format="%d %m %Y", validators=[Optional()])
    date_to = DateField("To", widget=GovDateInput(), format="%d %m %Y", validators=[Optional()])
    submit = SubmitField("Filter", widget=GovSubmitInput())
