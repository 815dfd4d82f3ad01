"""The form that generates a report: a quarter from the list, or any two dates."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSelect, GovSubmitInput
from wtforms import SelectField, SubmitField

from ig.audit.forms import DayMonthYearField
from ig.forms import BoundedForm


class GenerateForm(BoundedForm):
    """Which button was pressed says which period is meant; the service checks the dates."""

    quarter = SelectField("Quarter", widget=GovSelect(), validate_choice=False, default="")
    for_quarter = SubmitField("Generate the quarter's report", widget=GovSubmitInput())
    start = DayMonthYearField("First day", widget=GovDateInput())
    end = DayMonthYearField("Last day", widget=GovDateInput())
    for_dates = SubmitField("Generate for these dates", widget=GovSubmitInput())
