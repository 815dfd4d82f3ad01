"""The record of processing activities in the columns of the ICO's template, as CSV and XLSX.

The ICO's "Documentation template for controllers" and "... for processors" (the
record of processing activities sheets) name the columns; ig fills those it records,
in the template's order. The export holds decrypted text: only processing.export
gives it, and the view records each download in the audit trail.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ig.processing.models import ProcessingActivity
from ig.processing.policy import ProcessingPolicy
from ig.processing.rules import BASIS_LABELS, SAFEGUARD_LABELS, Role, Safeguard

CONTROLLER_COLUMNS = [
    "Business function",
    "Purpose of processing",
    "Name and contact details of joint controller (if applicable)",
    "Categories of individuals",
    "Categories of personal data",
    "Categories of recipients",
    "Names of third countries or international organisations that personal data are "
    "transferred to (if applicable)",
    "Safeguards for exceptional transfers of personal data to third countries or "
    "international organisations (if applicable)",
    "Retention schedule (if possible)",
    "General description of technical and organisational security measures (if possible)",
    "Article 6 lawful basis for processing personal data",
    "Article 9 basis for processing special category data",
    "Existence of automated decision-making, including profiling (if applicable)",
    "Location of personal data",
    "DPA 2018 Schedule 1 condition for processing",
    "Is an appropriate policy document in place?",
]
PROCESSOR_COLUMNS = [
    "Name and contact details of controller",
    "Categories of processing",
    "Names of third countries or international organisations that personal data are "
    "transferred to (if applicable)",
    "Safeguards for exceptional transfers of personal data to third countries or "
    "international organisations (if applicable)",
    "General description of technical and organisational security measures (if possible)",
]
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
        return "None", "Not applicable"
    return activity.transfer_detail, SAFEGUARD_LABELS[activity.safeguard]


def row(activity: ProcessingActivity, policy: ProcessingPolicy, assets: Sequence[str]) -> list[str]:
    """An activity's cells under its role's columns."""
    countries, safeguard = _transfers(activity)
    controllers = "; ".join(o.name for o in activity.controllers)
    if activity.role is Role.PROCESSOR:
        values: list[object] = [
            controllers,
            f"{activity.name}: {activity.purpose}",
            countries,
            safeguard,
            activity.security_measures,
        ]
    else:
        art9 = policy.art9_conditions.get(activity.art9_condition)
        schedule = policy.schedule_1_conditions.get(activity.schedule_1_condition)
        values = [
            activity.name,
            activity.purpose,
            controllers or "Not applicable",
            _labels(activity, "people", dict(policy.people_categories)),
            _labels(
                activity, "data", dict(policy.data_categories) | dict(policy.special_categories)
            ),
            activity.recipients,
            countries,
            safeguard,
            activity.retention,
            activity.security_measures,
            BASIS_LABELS[activity.lawful_basis],
            art9.label if art9 else "Not applicable",
            _yes_no(activity.is_automated),
            "; ".join(assets),
            schedule.label if schedule else "Not applicable",
            _yes_no(activity.has_policy_document) if schedule else "Not applicable",
        ]
    return [safe_cell(value) for value in values]


def _rows(
    activities: Iterable[ProcessingActivity],
    policy: ProcessingPolicy,
    assets: dict[int, list[str]],
) -> Iterable[list[str]]:
    for activity in activities:
        yield row(activity, policy, assets.get(activity.id, []))


def activities_csv(
    role: Role,
    activities: Iterable[ProcessingActivity],
    policy: ProcessingPolicy,
    assets: dict[int, list[str]],
) -> str:
    """The header row of the role's template, then one row per activity."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns(role))
    writer.writerows(_rows(activities, policy, assets))
    return out.getvalue()


def activities_xlsx(
    role: Role,
    activities: Iterable[ProcessingActivity],
    policy: ProcessingPolicy,
    assets: dict[int, list[str]],
) -> bytes:
    """The same rows as a workbook of one sheet, the header bold and frozen."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = "Controller" if role is Role.CONTROLLER else "Processor"
    sheet.append(columns(role))
    for values in _rows(activities, policy, assets):
        sheet.append(values)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter in (c.column_letter for c in sheet[1]):
        sheet.column_dimensions[letter].width = 30
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
