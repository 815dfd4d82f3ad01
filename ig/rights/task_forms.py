"""Forms for the search of information assets: the team asks an asset's owner, and the
owner answers. They check the shape of input; ig.rights.task_rules checks the rest."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ig import bounds
from ig.forms import BoundedForm
from ig.rights.forms import _area, _date, _Versioned
from ig.rights.models import Removal
from ig.rights.task_rules import TaskResult

REMOVAL_LABELS = {
    Removal.DELETED: "Deleted",
    Removal.RESTRICTED: "Restricted (kept, but no longer used)",
    Removal.KEPT: "Kept, under an exemption",
}


class AskForm(BoundedForm):
    asset = StringField(
        "Information asset to search",
        description="Its number (in its page's address) or its full name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the information asset's number or name"), Length(max=200)],
    )
    note = _area(
        "Why this search is reasonable and proportionate",
        bounds.LONG_TEXT,
        "Enter why this search is reasonable and proportionate",
        "Which systems may hold the person's data, why these, and why not others",
    )
    submit = SubmitField("Ask the asset's owner to search", widget=GovSubmitInput())


class ConsentForm(BoundedForm):
    activities = SelectMultipleField(
        "Which processing activities did they withdraw their consent from?",
        description="Those in the record of processing that rely on consent",
        widget=GovCheckboxesInput(),
        coerce=int,
        validators=[Optional()],
    )
    note = _area(
        "Why searching the assets these activities use is reasonable and proportionate",
        bounds.LONG_TEXT,
        "Enter why this search is reasonable and proportionate",
    )
    submit = SubmitField("Record the withdrawal and ask for removal", widget=GovSubmitInput())


class TaskForm(_Versioned):
    is_found = RadioField(
        "Did the search find the person's data?",
        widget=GovRadioInput(),
        choices={"yes": "Yes", "no": "No"},
        validators=[InputRequired("Say whether the search found the person's data")],
    )
    findings = _area(
        "What did the search find?",
        bounds.LONG_TEXT,
        "Enter what the search found, or where you looked",
        "The records found, or where you looked if nothing was found",
    )
    removal = RadioField(
        "What was done with it?",
        widget=GovRadioInput(),
        choices={r.value: label for r, label in REMOVAL_LABELS.items()},
        validators=[Optional()],
    )
    removed_on = _date("When was it deleted or restricted?")
    exemption = SelectField("Exemption that allows it to be kept", widget=GovSelect(),
                            validators=[Optional()])  # fmt: skip
    kept_reason = _area("Why must it be kept?", bounds.SHORT_TEXT)
    submit = SubmitField("Record the search", widget=GovSubmitInput())


def result_of(form: TaskForm) -> TaskResult:
    found = {"yes": True, "no": False}.get(form.is_found.data or "")
    return TaskResult(
        is_found=found,
        findings=form.findings.data or "",
        removal=Removal(form.removal.data) if form.removal.data else None,
        removed_on=form.removed_on.data,
        exemption_key=form.exemption.data or "",
        kept_reason=form.kept_reason.data or "",
    )
