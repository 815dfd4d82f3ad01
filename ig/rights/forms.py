"""Forms for information rights: log a request, filter the register, pause, restart,
extend and close. They check the shape of input; the services check the law's rules."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from ig import bounds
from ig.audit.forms import DayMonthYearField
from ig.forms import BoundedForm
from ig.rights.models import Outcome, PauseReason
from ig.rights.presenter import OUTCOME_LABELS, PAUSE_LABELS
from ig.rights.register import REGIMES, STATE_LABELS
from ig.rights.service import CHANNELS

EXAMPLE = "For example, 27 3 2026"


def _date(label: str, required: str | None = None, hint: str = EXAMPLE) -> DayMonthYearField:
    checks = [InputRequired(required)] if required else [Optional()]
    return DayMonthYearField(label, widget=GovDateInput(), description=hint, validators=checks)


def _text(label: str, limit: int, required: str | None = None, hint: str = "") -> StringField:
    checks = [DataRequired(required)] if required else [Optional()]
    return StringField(
        label, widget=GovTextInput(), description=hint, validators=[*checks, Length(max=limit)]
    )


def _area(label: str, limit: int, required: str | None = None, hint: str = "") -> TextAreaField:
    checks = [DataRequired(required)] if required else [Optional()]
    return TextAreaField(
        label, widget=GovTextArea(), description=hint, validators=[*checks, Length(max=limit)]
    )


class _Versioned(BoundedForm):
    version = IntegerField(
        widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1, max=bounds.INT_MAX)]
    )


class LogForm(BoundedForm):
    type_key = RadioField(
        "What kind of request is it?",
        widget=GovRadioInput(),
        choices=[],
        validators=[InputRequired("Choose the kind of request")],
    )
    received_on = _date(
        "When was it received?",
        "Enter the date the request was received",
        "The day it arrived, working day or not. For example, 27 3 2026",
    )
    channel = RadioField(
        "How was it received?",
        widget=GovRadioInput(),
        choices=dict(CHANNELS),
        validators=[InputRequired("Choose how the request was received")],
    )
    requester_name = _text("Requester's name", bounds.NAME, "Enter the requester's name")
    requester_identifier = _text(
        "Their case number or other identifier (optional)",
        bounds.IDENTIFIER,
        hint="Finds earlier requests from the same person",
    )
    requester_contact = _area("Their e-mail or postal address (optional)", bounds.SHORT_TEXT)
    representative_name = _text(
        "Made on their behalf by (optional)",
        bounds.NAME,
        hint="A solicitor, relative or advocate acting for them",
    )
    authority = _area(
        "Authority to act for them",
        bounds.SHORT_TEXT,
        hint="Needed when made on someone's behalf: signed consent, power of attorney...",
    )
    summary = _area("What did they ask for?", bounds.LONG_TEXT, "Enter what the person asked for")
    submit = SubmitField("Log the request", widget=GovSubmitInput())


class FilterForm(BoundedForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    type = SelectField("Kind of request", widget=GovSelect(), validators=[Optional()])
    regime = SelectField(
        "Regime",
        widget=GovSelect(),
        choices={"": "Any", **{key: label for key, (label, _) in REGIMES.items()}},
        validators=[Optional()],
    )
    state = SelectField(
        "State",
        widget=GovSelect(),
        choices={"": "Any", **{s.value: label for s, label in STATE_LABELS.items()}},
        validators=[Optional()],
    )
    mine = BooleanField("Only requests I handle")
    received_from = _date("Received from")
    received_to = _date("Received to")
    sent_from = _date("Answered from", hint="The day the response was sent, or it was withdrawn")
    sent_to = _date("Answered to")
    paused_from = _date("Clock paused from", hint="The day the clock stopped (Art. 12A)")
    paused_to = _date("Clock paused to")
    extended_from = _date("Deadline extended from", hint="The day the requester was told")
    extended_to = _date("Deadline extended to")
    submit = SubmitField("Filter", widget=GovSubmitInput())


class PauseForm(_Versioned):
    reason = RadioField(
        "What are you waiting for?",
        widget=GovRadioInput(),
        choices={r.value: label for r, label in PAUSE_LABELS.items()},
        validators=[InputRequired("Choose what you are waiting for")],
    )
    start = _date("When did the clock stop?", "Enter the date the clock stopped",
                  "The day you asked the requester. For example, 27 3 2026")  # fmt: skip
    end = _date("When did it restart? (leave empty if still waiting)",
                hint="The day the identity, clarification or fee arrived")  # fmt: skip
    submit = SubmitField("Stop the clock", widget=GovSubmitInput())


class RestartForm(_Versioned):
    end = _date(
        "When did the clock restart?",
        "Enter the date the clock restarted",
        "The day the identity, clarification or fee arrived. For example, 27 3 2026",
    )
    submit = SubmitField("Restart the clock", widget=GovSubmitInput())


class ExtendForm(_Versioned):
    told_on = _date("When was the requester told?", "Enter the date the requester was told")
    length = IntegerField(
        "Extend by",
        widget=GovTextInput(),
        validators=[InputRequired("Enter how long the extension is"), NumberRange(1, 60)],
    )
    reason = _area(
        "Reasons given to the requester",
        bounds.SHORT_TEXT,
        "Enter the reasons given to the requester",
    )
    submit = SubmitField("Extend the deadline", widget=GovSubmitInput())


class CloseForm(_Versioned):
    outcome = RadioField(
        "Outcome",
        widget=GovRadioInput(),
        choices={o.value: label for o, label in OUTCOME_LABELS.items()},
        validators=[InputRequired("Choose the outcome")],
    )
    sent_on = _date("When was the response sent?", "Enter the date the response was sent")
    note = _area(
        "Note",
        bounds.SHORT_TEXT,
        hint="Needed for a partial response, a refusal (with the exemption) or a withdrawal",
    )
    submit = SubmitField("Close the request", widget=GovSubmitInput())


def outcome_of(form: CloseForm) -> Outcome:
    return Outcome(form.outcome.data)


def pause_reason_of(form: PauseForm) -> PauseReason:
    return PauseReason(form.reason.data)
