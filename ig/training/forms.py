"""Training forms: they check the shape of the input; the services check the rules."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovFileInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ig.audit.forms import DayMonthYearField
from ig.forms import BoundedForm
from ig.training.manager import CSV_FILTERS, FILTERS
from ig.training.rules import Basis

TEAM_SORTS = {"hierarchy": "Hierarchy", "lowest": "Lowest compliance first", "name": "Name"}


def _date(label: str, required: bool = True) -> DayMonthYearField:
    checks = [InputRequired(f"Enter {label.lower()}")] if required else [Optional()]
    return DayMonthYearField(label, widget=GovDateInput(), validators=checks)


class AsOfForm(BoundedForm):
    """The date figures are shown for (today when blank), and how teams are sorted."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    on = _date("Show figures as at", required=False)
    sort = SelectField(
        "Sort teams by",
        choices=TEAM_SORTS,
        widget=GovSelect(),
        validators=[Optional()],
        default="hierarchy",
    )
    submit = SubmitField("Show", widget=GovSubmitInput())


class OverdueForm(BoundedForm):
    """The date the overdue courses are listed for (today when blank), and on which basis."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    on = _date("Overdue on", required=False)
    basis = SelectField(
        "Counting the completions",
        choices={b.value: b.label.capitalize() for b in Basis},
        widget=GovSelect(),
        validators=[Optional()],
        default=Basis.AS_RECORDED.value,
    )
    submit = SubmitField("Show", widget=GovSubmitInput())


class StaffFilterForm(BoundedForm):
    """Narrow a manager's list to the overdue or the due soon, or by name."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    status = SelectField(
        "Show",
        choices=FILTERS,
        widget=GovSelect(),
        validators=[Optional()],
        default="action",
    )
    q = StringField(
        "Name or staff number", widget=GovTextInput(), validators=[Optional(), Length(max=100)]
    )
    submit = SubmitField("Apply", widget=GovSubmitInput())


class StaffCsvForm(StaffFilterForm):
    """The same, for the CSV, which can also hold everyone."""

    status = SelectField(
        "Show", choices=CSV_FILTERS, widget=GovSelect(), validators=[Optional()], default="all"
    )


class CompletionForm(BoundedForm):
    """A completion recorded by hand."""

    staff_number = StringField(
        "Staff number",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the staff number"), Length(max=40)],
    )
    course_code = SelectField(
        "Course", widget=GovSelect(), validators=[DataRequired("Choose the course")]
    )
    completed_on = _date("Date completed")
    submit = SubmitField("Record completion", widget=GovSubmitInput())


class ExemptionForm(BoundedForm):
    """An exemption from a course for a period, with the reason."""

    staff_number = StringField(
        "Staff number",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the staff number"), Length(max=40)],
    )
    course_code = SelectField(
        "Course", widget=GovSelect(), validators=[DataRequired("Choose the course")]
    )
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        validators=[DataRequired("Enter the reason"), Length(max=2000)],
    )
    starts_on = _date("Start date")
    ends_on = _date("End date")
    submit = SubmitField("Add exemption", widget=GovSubmitInput())


class UploadForm(BoundedForm):
    """A CSV file or an Excel workbook (.xlsx) to check and then import."""

    file = FileField(
        "CSV or Excel file",
        widget=GovFileInput(),
        validators=[FileRequired("Choose a CSV or Excel (.xlsx) file to upload")],
    )
    submit = SubmitField("Upload and check", widget=GovSubmitInput())


class ConfirmImportForm(BoundedForm):
    """The choice after a check: import the valid rows, or nothing."""

    apply = SubmitField("Import the valid rows", widget=GovSubmitInput())
    discard = SubmitField("Import nothing", widget=GovSubmitInput())
