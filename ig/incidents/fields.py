"""The GOV.UK fields the incident forms share, and reading their answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from ig.db import LONDON

TIME = Regexp(r"^([01]?\d|2[0-3]):[0-5]\d$", message="Enter a 24-hour time, like 14:30")
YES_NO = {"yes": "Yes", "no": "No"}
TEXT = 20_000


class DateInput(GovDateInput):
    """The GOV.UK date input, which also renders when the date was not submitted at all."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> Any:
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = None
        return super().map_gov_params(field, **kwargs)


class UKDateField(DateField):
    """A date typed as day, month and year, with the GOV.UK wording when it is not real."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError("Enter a real date, like 27 3 2026") from None


def date_field(label: str, required: bool = True) -> DateField:
    """A date typed as day, month and year; optional when not ``required``."""
    checks = [InputRequired(f"Enter {label.lower()}")] if required else [Optional()]
    return UKDateField(label, widget=DateInput(), format="%d %m %Y", validators=checks)


def time_field(label: str, required: bool = True) -> StringField:
    """A 24-hour time such as 14:30; optional when not ``required``."""
    checks = [DataRequired("Enter the time, like 14:30")] if required else [Optional()]
    return StringField(label, widget=GovTextInput(), validators=[*checks, TIME])


def text_field(label: str, required: str | None = None) -> TextAreaField:
    """Free text of bounded length; ``required`` is the message shown when it is left empty."""
    checks = [DataRequired(required)] if required else [Optional()]
    return TextAreaField(label, widget=GovTextArea(), validators=[*checks, Length(max=TEXT)])


def yes_no_field(label: str) -> RadioField:
    """A yes / no question that must be answered (read the answer with ``yes``)."""
    return RadioField(
        label,
        choices=YES_NO,
        widget=GovRadioInput(),
        validators=[InputRequired("Choose yes or no")],
    )


def choice_field(label: str, choices: dict[str, str]) -> RadioField:
    """A question of the ICO form that may stay unanswered."""
    # An unanswered question stays blank; the view turns the value into its enumeration.
    return RadioField(
        label, choices=choices, widget=GovRadioInput(), validators=[Optional()],
        validate_choice=False,
    )  # fmt: skip


def london_instant(day: dt.date | None, time_text: str | None) -> dt.datetime | None:
    """A UK date and time as a UTC instant (the earlier one when the clocks go back)."""
    if day is None or not time_text:
        return None
    hours, minutes = (int(part) for part in time_text.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes), LONDON).astimezone(dt.UTC)


def yes(value: Any) -> bool:
    """A yes/no radio's answer as a boolean."""
    return value == "yes"
