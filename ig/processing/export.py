"""The record of processing activities in the columns of the ICO's template, as CSV and XLSX.

The ICO's "Documentation template for controllers" and "... for processors" (the
record of processing activities sheets) name the columns, in this order. ig fills each
from the activity's record and the records linked to it: the processor contracts
serving its information assets, the DPIAs that assess it, the breaches that involved
its assets, and where those assets keep the data (ig.processing.related reads them). A
link is the absolute address of the record's page in ig.

ig holds nothing for these, and leaves them empty: the legitimate interests and the
record of their assessment (for an activity on that basis), the source of the data,
the record of consent (for an activity relying on it: ig records that it does, not
the consents given), whether data is kept and erased as the appropriate policy
document says and why not (where there is one), and the processor's contract with the
controller it acts for. Where the column cannot apply, it says "Not applicable".

The export holds decrypted text: only processing.export gives it, and the view records
each download in the audit trail.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ig.people.models import Organisation
from ig.processing.models import ProcessingActivity
from ig.processing.policy import ProcessingPolicy
from ig.processing.related import ExportRecords, Related
from ig.processing.rules import (
    BASIS_LABELS,
    SAFEGUARD_LABELS,
    LawfulBasis,
    Role,
    Safeguard,
    dpia_needed,
    rights_available,
)

TRANSFERRED_TO = (
    "Names of third countries or international organisations that personal data are "
    "transferred to (if applicable)"
)
SAFEGUARDS = (
    "Safeguards for exceptional transfers of personal data to third countries or "
    "international organisations (if applicable)"
)
SECURITY = "General description of technical and organisational security measures (if possible)"
CONTROLLER_COLUMNS = [
    "Business function",
    "Purpose of processing",
    "Name and contact details of joint controller (if applicable)",
    "Categories of individuals",
    "Categories of personal data",
    "Categories of recipients",
    "Link to contract with processor",
    TRANSFERRED_TO,
    SAFEGUARDS,
    "Retention schedule (if possible)",
    SECURITY,
    "Article 6 lawful basis for processing personal data",
    "Article 9 basis for processing special category data",
    "Legitimate interests for the processing (if applicable)",
    "Link to record of legitimate interests assessment (if applicable)",
    "Rights available to individuals",
    "Existence of automated decision-making, including profiling (if applicable)",
    "The source of the personal data (if applicable)",
    "Link to record of consent",
    "Location of personal data",
    "Data Protection Impact Assessment required?",
    "DPIA progress",
    "Link to DPIA",
    "Personal data breach?",
    "Link to record of personal data breach",
    "Data Protection Act 2018 Schedule 1 condition for processing",
    "Link to appropriate policy document",
    "Personal data retained and erased in accordance with the policy document?",
    "Reason for not adhering to policy document (if applicable)",
]
PROCESSOR_COLUMNS = [
    "Name and contact details of processor",
    "Name and contact details of controller",
    "Name and contact details of processor's representative (if applicable)",
    "Name and contact details of data protection officer (if applicable)",
    "Categories of processing",
    TRANSFERRED_TO,
    SAFEGUARDS,
    SECURITY,
    "Link to contract with controller",
]
NOT_APPLICABLE = "Not applicable"
# UK GDPR Art. 27: only a controller or processor outside the UK names a representative.
NO_REPRESENTATIVE = "Not applicable: the council is established in the UK"
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

WRAP = Alignment(wrap_text=True, vertical="top")
# Builds the absolute address of a page from its endpoint and arguments (url_for's shape).
LinkTo = Callable[..., str]


def columns(role: Role) -> list[str]:
    return CONTROLLER_COLUMNS if role is Role.CONTROLLER else PROCESSOR_COLUMNS


def safe_cell(value: object) -> str:
    """The cell's text, with a leading quote when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _labels(activity: ProcessingActivity, kind: str, labels: dict[str, str]) -> str:
    return "; ".join(labels.get(c.key, c.key) for c in activity.categories if c.kind == kind)


def _transfers(activity: ProcessingActivity) -> tuple[str, str]:
    if activity.safeguard is Safeguard.NONE:
        return "None", NOT_APPLICABLE
    return activity.transfer_detail, SAFEGUARD_LABELS[activity.safeguard]


def _contact(organisation: Organisation | None) -> str:
    if organisation is None:
        return ""
    lines = [line.strip() for line in organisation.address.splitlines() if line.strip()]
    return ", ".join([organisation.name, *lines])


def _links(related: Related, link: LinkTo) -> dict[str, str]:
    """The cells naming the linked records, one record a line: "reference: address"."""
    return {
        "contracts": "\n".join(
            f"{c.reference} ({c.processor}): {link('contracts.show', contract_id=c.contract_id)}"
            for c in related.contracts
        ),
        "dpias": "\n".join(
            f"{d.title}: {link('dpia.show', dpia_id=d.dpia_id)}" for d in related.dpias
        ),
        "breaches": "\n".join(f"{r}: {link('incidents.show', ref=r)}" for r in related.breaches),
    }


def _location(related: Related) -> str:
    return "; ".join(
        f"{a.name}: {a.hosting}" + (f", {a.location}" if a.location else "") for a in related.assets
    )


def _policy_document(activity: ProcessingActivity, has_schedule_1: bool) -> list[str]:
    """The link to the appropriate policy document, whether it is followed, and why not."""
    if not has_schedule_1:
        return [NOT_APPLICABLE] * 3
    # ig records that the document is in place (DPA 2018 Sch. 1 Part 4), not its address.
    return ["In place (not linked in ig)" if activity.has_policy_document else "None", "", ""]


def _controller_row(
    activity: ProcessingActivity, policy: ProcessingPolicy, related: Related, link: LinkTo
) -> list[object]:
    countries, safeguard = _transfers(activity)
    art9 = policy.art9_conditions.get(activity.art9_condition)
    schedule = policy.schedule_1_conditions.get(activity.schedule_1_condition)
    is_legitimate = activity.lawful_basis is LawfulBasis.LEGITIMATE_INTERESTS
    links = _links(related, link)
    screenings = [d.is_required for d in related.dpias]
    return [
        activity.name,
        activity.purpose,
        "; ".join(_contact(o) for o in activity.controllers) or NOT_APPLICABLE,
        _labels(activity, "people", dict(policy.people_categories)),
        _labels(activity, "data", dict(policy.data_categories) | dict(policy.special_categories)),
        activity.recipients,
        links["contracts"],
        countries,
        safeguard,
        activity.retention,
        activity.security_measures,
        BASIS_LABELS[activity.lawful_basis],
        art9.label if art9 else NOT_APPLICABLE,
        "" if is_legitimate else NOT_APPLICABLE,
        "" if is_legitimate else NOT_APPLICABLE,
        "; ".join(rights_available(activity.lawful_basis, activity.is_automated)),
        _yes_no(activity.is_automated),
        "",
        "" if activity.relies_on_consent else NOT_APPLICABLE,
        _location(related),
        dpia_needed(screenings, activity.has_special_category, activity.is_automated),
        "; ".join(f"{d.title}: {d.status_label}" for d in related.dpias) or "No DPIA linked",
        links["dpias"],
        _yes_no(bool(related.breaches)),
        links["breaches"],
        schedule.label if schedule else NOT_APPLICABLE,
        *_policy_document(activity, schedule is not None),
    ]


def _processor_row(activity: ProcessingActivity, council: Organisation | None) -> list[object]:
    countries, safeguard = _transfers(activity)
    return [
        _contact(council),
        "; ".join(_contact(o) for o in activity.controllers),
        NO_REPRESENTATIVE,
        council.dpo_contact if council else "",
        f"{activity.name}: {activity.purpose}",
        countries,
        safeguard,
        activity.security_measures,
        "",
    ]


def row(
    activity: ProcessingActivity, policy: ProcessingPolicy, records: ExportRecords, link: LinkTo
) -> list[str]:
    """An activity's cells under its role's columns, safe to open in a spreadsheet."""
    if activity.role is Role.PROCESSOR:
        values = _processor_row(activity, records.council)
    else:
        values = _controller_row(activity, policy, records.of(activity.id), link)
    return [safe_cell(value) for value in values]


def _rows(
    activities: Iterable[ProcessingActivity],
    policy: ProcessingPolicy,
    records: ExportRecords,
    link: LinkTo,
) -> Iterable[list[str]]:
    for activity in activities:
        yield row(activity, policy, records, link)


def activities_csv(
    role: Role,
    activities: Iterable[ProcessingActivity],
    policy: ProcessingPolicy,
    records: ExportRecords,
    link: LinkTo,
) -> str:
    """The header row of the role's template, then one row per activity."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns(role))
    writer.writerows(_rows(activities, policy, records, link))
    return out.getvalue()


def activities_xlsx(
    role: Role,
    activities: Iterable[ProcessingActivity],
    policy: ProcessingPolicy,
    records: ExportRecords,
    link: LinkTo,
) -> bytes:
    """The same rows as a workbook of one sheet, the header bold and frozen."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = "Controller" if role is Role.CONTROLLER else "Processor"
    sheet.append(columns(role))
    for values in _rows(activities, policy, records, link):
        sheet.append(values)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in sheet.iter_rows():
        for cell in line:
            cell.alignment = WRAP  # a cell's links are one a line
    for letter in (c.column_letter for c in sheet[1]):
        sheet.column_dimensions[letter].width = 30
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
