"""Forms for partners, agreements, signatures, documents, the register and the check."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovFileInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from ig.forms import BoundedForm
from ig.people.models import OrganisationKind
from ig.sharing.models import DpiaOutcome, PartyRole
from ig.sharing.rules import STATE_LABELS
from ig.sharing.states import IN_FORCE_CHOICE

KIND_LABELS = {
    OrganisationKind.LOCAL_AUTHORITY: "Local authority",
    OrganisationKind.NHS_TRUST: "NHS trust",
    OrganisationKind.INTEGRATED_CARE_BOARD: "Integrated care board",
    OrganisationKind.GP_PRACTICE: "GP practice",
    OrganisationKind.POLICE: "Police",
    OrganisationKind.PROVIDER: "Care or support provider",
    OrganisationKind.VOLUNTARY: "Voluntary organisation",
    OrganisationKind.OTHER: "Other",
}
ROLE_LABELS = {
    PartyRole.CONTROLLER: "Controller",
    PartyRole.JOINT_CONTROLLER: "Joint controller",
    PartyRole.PROCESSOR: "Processor",
    PartyRole.RECIPIENT: "Recipient",
}
DPIA_LABELS = {
    DpiaOutcome.NOT_NEEDED: "Not needed (screening recorded)",
    DpiaOutcome.ACCEPTABLE: "Risks acceptable",
    DpiaOutcome.ACCEPTABLE_WITH_ACTIONS: "Acceptable once actions are taken",
    DpiaOutcome.HIGH_RISK_ICO_CONSULTED: "High residual risk: ICO consulted (Art. 36)",
}
ORGANISATION_HINT = "Enter its GSS or ODS code, like E09000007 or QMJ, or its full name"


class DateInput(GovDateInput):
    """GovDateInput that also renders a date left out of a GET query, or sent in part
    (it expects exactly day, month and year)."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> Any:
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = None
        return super().map_gov_params(field, **kwargs)


def _date(label: str, required: bool = True) -> DateField:
    checks = [InputRequired(f"Enter the {label.lower()}")] if required else [Optional()]
    return DateField(label, widget=DateInput(), format="%d %m %Y", validators=checks)


def _area(label: str, required: str | None = None) -> TextAreaField:
    checks = [DataRequired(required)] if required else [Optional()]
    return TextAreaField(label, widget=GovTextArea(), validators=[*checks, Length(max=10_000)])


def _text(label: str, length: int, required: str | None = None) -> StringField:
    checks = [DataRequired(required)] if required else [Optional()]
    return StringField(label, widget=GovTextInput(), validators=[*checks, Length(max=length)])


def with_choices(field: Any, labels: dict[str, str], blank: str | None = None) -> None:
    """Fill a select or checkbox list from policy labels (blank first if given)."""
    field.choices = ({"": blank} if blank is not None else {}) | dict(labels)


class OrganisationForm(BoundedForm):
    name = _text("Name", 200, "Enter the organisation's name")
    kind = SelectField(
        "Kind", widget=GovSelect(), choices={k.value: v for k, v in KIND_LABELS.items()}
    )
    code = _text("Code (ONS GSS code for councils, ODS code for NHS bodies)", 20)
    address = _area("Address")
    assurance_status = _text("DSPT or other assurance status", 100)
    assurance_on = _date("Date of the assurance status", required=False)
    dpo_contact = _text("Data protection officer's contact", 320)
    is_self = BooleanField("This is our own organisation", widget=GovCheckboxInput())
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField("Save", widget=GovSubmitInput())


class SignatoryForm(BoundedForm):
    email = _text(
        "E-mail address of the user who signs for this organisation", 320, "Enter an e-mail address"
    )
    submit = SubmitField("Add signatory", widget=GovSubmitInput())


class LoadOrganisationsForm(BoundedForm):
    file = FileField(
        "CSV file", widget=GovFileInput(), validators=[FileRequired("Choose a CSV file")]
    )
    submit = SubmitField("Load", widget=GovSubmitInput())


class AgreementForm(BoundedForm):
    reference = _text("Reference", 40, "Enter a reference")
    title = _text("Title", 200, "Enter a title")
    purpose = _area("Purpose of the sharing", "Describe the purpose of the sharing")
    owner = _text("Lead organisation", 200, "Enter the lead organisation")
    purposes = SelectMultipleField("Purposes covered", widget=GovCheckboxesInput())
    categories = SelectMultipleField("Kinds of data shared", widget=GovCheckboxesInput())
    data_items = _area("Data items shared")
    is_special_category = BooleanField(
        "Includes special category or criminal offence data", widget=GovCheckboxInput()
    )
    data_subjects = _area("Whose data (the people the information is about)")
    lawful_basis = SelectField("Lawful basis (UK GDPR Art. 6)", widget=GovSelect())
    special_condition = SelectField("Art. 9 or Art. 10 condition", widget=GovSelect())
    statutory_gateway = SelectField("Statutory gateway", widget=GovSelect())
    # The service checks the key, so a stale or forged choice gets its clear message.
    service_key = SelectField(
        "Service whose data is shared", widget=GovSelect(), validate_choice=False
    )
    frequency = _text("How often it is shared", 200)
    transfer_method = _area("How it is shared (transfer method)")
    transfer_security = _area("Security of the transfer")
    retention = _area("Retention and deletion")
    rights_requests = _area("Who handles individuals' rights requests")
    breach_procedure = _area("Breach procedure")
    conditions = _area("Conditions on sharing")
    # A DPIA in ig's own register is linked from the DPIA's page (a real link the
    # agreement's page lists); this text names one held elsewhere, a partner's say.
    dpia_reference = _text("Reference of a DPIA held outside ig (optional)", 60)
    dpia_outcome = SelectField(
        "DPIA outcome",
        widget=GovSelect(),
        choices={"": "No DPIA recorded"} | {k.value: v for k, v in DPIA_LABELS.items()},
    )
    dpia_on = _date("DPIA date", required=False)
    starts_on = _date("Start date")
    review_on = _date("Review date")
    ends_on = _date("End date", required=False)
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField("Save agreement", widget=GovSubmitInput())


class PartyForm(BoundedForm):
    organisation = _text("Organisation", 200, "Enter the organisation to add")
    role = SelectField(
        "Role", widget=GovSelect(), choices={k.value: v for k, v in ROLE_LABELS.items()}
    )
    submit = SubmitField("Add party", widget=GovSubmitInput())


class SignForm(BoundedForm):
    signatory_name = _text("Name of the person who signed", 200, "Enter the signatory's name")
    signatory_title = _text("Their job title", 200, "Enter the signatory's job title")
    signed_on = _date("Date signed")
    evidence = _area("Evidence of the signature (needed when recording for another party)")
    submit = SubmitField("Record signature", widget=GovSubmitInput())


class RenewForm(BoundedForm):
    starts_on = _date("Start date of the new version")
    review_on = _date("Review date")
    ends_on = _date("End date", required=False)
    submit = SubmitField("Make the new version", widget=GovSubmitInput())


class TerminateForm(BoundedForm):
    terminated_on = _date("Date terminated")
    reason = _area("Reason", "Give the reason for terminating the agreement")
    submit = SubmitField("Terminate agreement", widget=GovSubmitInput())


class DocumentForm(BoundedForm):
    document = FileField(
        "Signed agreement (PDF)",
        widget=GovFileInput(),
        validators=[FileRequired("Choose a PDF file")],
    )
    submit = SubmitField("Upload", widget=GovSubmitInput())


class CheckForm(BoundedForm):
    class Meta:
        csrf = False  # a question, not a change

    organisation = _text("Partner organisation", 200, "Enter the partner organisation")
    category = SelectField("Kind of data", widget=GovSelect(), validators=[InputRequired()])
    purpose = SelectField("Purpose", widget=GovSelect(), validators=[InputRequired()])
    submit = SubmitField("Check", widget=GovSubmitInput())


class OrganisationFilterForm(BoundedForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    q = _text("Name or code", 200)
    kind = SelectField(
        "Kind",
        widget=GovSelect(),
        choices={"": "Any"} | {k.value: v for k, v in KIND_LABELS.items()},
        default="",
    )
    unsigned_on = _date("Party to no agreement in force on", required=False)
    submit = SubmitField("Search", widget=GovSubmitInput())


class RegisterFilterForm(BoundedForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    search = _text("Reference or title contains", 200)
    partner = _text("Partner (code or name)", 200)
    state = SelectField(
        "State",
        widget=GovSelect(),
        choices={"": "Any", IN_FORCE_CHOICE: "In force (active or review due)"}
        | {s.value: label for s, label in STATE_LABELS.items()},
        default="",
    )
    on = _date("State on (a past day)", required=False)
    lawful_basis = SelectField("Lawful basis", widget=GovSelect(), default="")
    review_from = _date("Review from", required=False)
    review_to = _date("Review to", required=False)
    end_from = _date("End from", required=False)
    end_to = _date("End to", required=False)
    sort = HiddenField()
    order = HiddenField()
    open_only = HiddenField()
    submit = SubmitField("Filter", widget=GovSubmitInput())
