"""The audit trail's filter form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSubmitInput, GovTextInput
from wtforms import DateField, StringField, SubmitField
from wtforms.validators import Length, Optional, ValidationError

from ig.audit.service import AuditFilter
from ig.bounds import DATE_MESSAGE, date_problem
from ig.forms import BoundedForm


class DayMonthYearField(DateField):
    """A date from the GOV.UK date input's three boxes, with its error messages.

    Blank boxes mean no date. WTForms' Optional() looks at the first box only, so a
    date with the day left out would be silently ignored; this field judges all three.
    """

    def process_formdata(self, valuelist: list[Any]) -> None:
        parts = [str(value).strip() for value in valuelist[:3]]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts  # the widget redisplays exactly three boxes
        self.data = None
        if not any(parts):
            return
        name = self.label.text
        if not all(parts):
            raise ValueError(f"{name} must include a day, month and year")
        try:
            day, month, year = (int(part) for part in parts)
            date = dt.date(year, month, day)
        except (ValueError, OverflowError):  # int() of 5000 digits, or a C int overflowed
            raise ValueError(f"{name} must be a real date, like 27 3 2026") from None
        # Bounded as every date is (ig.bounds), so "the day after" cannot overflow.
        if date_problem(date):
            raise ValueError(f"{name}: {DATE_MESSAGE.lower()}")
        self.data = date


class AuditFilterForm(BoundedForm):
    """Who, which record, what and when; every field optional."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    actor = StringField(
        "Person (name or e-mail contains)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=320)],
    )
    record_type = StringField(
        "Record type", widget=GovTextInput(), validators=[Optional(), Length(max=80)]
    )
    record_id = StringField(
        "Record number", widget=GovTextInput(), validators=[Optional(), Length(max=80)]
    )
    action = StringField("Action", widget=GovTextInput(), validators=[Optional(), Length(max=80)])
    date_from = DayMonthYearField(
        "From date", widget=GovDateInput(), description="For example, 27 3 2026"
    )
    date_to = DayMonthYearField(
        "To date", widget=GovDateInput(), description="For example, 31 3 2026"
    )
    submit = SubmitField("Filter", widget=GovSubmitInput())

    def validate_date_to(self, field: DayMonthYearField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("To date must be the same as or after the from date")

    def filters(self) -> AuditFilter:
        """The filter the form describes (call after a successful validate)."""
        return AuditFilter(
            actor=self.actor.data or None,
            record_type=self.record_type.data or None,
            record_id=self.record_id.data or None,
            action=self.action.data or None,
            date_from=self.date_from.data,
            date_to=self.date_to.data,
        )
