"""Turning forms into service inputs and activities into ready-to-show rows."""

from __future__ import annotations

from collections.abc import Sequence

from ig.processing.forms import ActivityFilterForm, ActivityForm
from ig.processing.models import ProcessingActivity
from ig.processing.policy import ProcessingPolicy
from ig.processing.register import ActivityFilter
from ig.processing.rules import (
    BASIS_LABELS,
    ROLE_LABELS,
    SAFEGUARD_LABELS,
    LawfulBasis,
    Role,
    Safeguard,
)
from ig.processing.service import ActivityInput

YES_NO = {"yes": True, "no": False}


def filters_from(form: ActivityFilterForm) -> ActivityFilter:
    """The filter the form asks for; a form with bad values shows controllers unfiltered."""
    if not form.validate():
        return ActivityFilter()
    return ActivityFilter(
        role=Role(form.role.data) if form.role.data else Role.CONTROLLER,
        lawful_basis=LawfulBasis(form.basis.data) if form.basis.data else None,
        relies_on_consent=YES_NO.get(form.consent.data or ""),
        has_special_category=YES_NO.get(form.special.data or ""),
        search=form.q.data or "",
    )


def set_choices(form: ActivityForm, policy: ProcessingPolicy) -> None:
    """The form's closed lists, from the policy."""
    form.people_categories.choices = dict(policy.people_categories)
    form.data_categories.choices = dict(policy.data_categories) | {
        key: f"{label} (special category)" for key, label in policy.special_categories.items()
    }
    none = {"": "None (no special category data)"}
    form.art9_condition.choices = none | {k: c.label for k, c in policy.art9_conditions.items()}
    form.schedule_1_condition.choices = {"": "None"} | {
        k: c.label for k, c in policy.schedule_1_conditions.items()
    }


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def form_data(activity: ProcessingActivity, assets: Sequence[str]) -> dict[str, object]:
    """An activity's values as the edit form shows them."""
    return {
        "version": activity.version,
        "name": activity.name,
        "role": activity.role.value,
        "controllers": "\n".join(o.code or o.name for o in activity.controllers),
        "purpose": activity.purpose,
        "lawful_basis": activity.lawful_basis.value,
        "people_categories": [c.key for c in activity.categories if c.kind == "people"],
        "data_categories": [c.key for c in activity.categories if c.kind == "data"],
        "art9_condition": activity.art9_condition,
        "schedule_1_condition": activity.schedule_1_condition,
        "has_policy_document": _yes(activity.has_policy_document),
        "recipients": activity.recipients,
        "safeguard": activity.safeguard.value,
        "transfer_detail": activity.transfer_detail,
        "retention": activity.retention,
        "security_measures": activity.security_measures,
        "assets": "\n".join(assets),
        "relies_on_consent": _yes(activity.relies_on_consent),
        "is_automated": _yes(activity.is_automated),
        "owner_user_id": activity.owner_user_id,
    }


def _lines(text: str | None) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def activity_input(form: ActivityForm) -> ActivityInput:
    return ActivityInput(
        name=form.name.data,
        role=Role(form.role.data),
        purpose=form.purpose.data,
        lawful_basis=LawfulBasis(form.lawful_basis.data),
        art9_condition=form.art9_condition.data or "",
        schedule_1_condition=form.schedule_1_condition.data or "",
        has_policy_document=form.has_policy_document.data == "yes",
        recipients=form.recipients.data or "",
        safeguard=Safeguard(form.safeguard.data),
        transfer_detail=form.transfer_detail.data or "",
        retention=form.retention.data,
        security_measures=form.security_measures.data or "",
        relies_on_consent=form.relies_on_consent.data == "yes",
        is_automated=form.is_automated.data == "yes",
        owner_user_id=form.owner_user_id.data or 0,  # 0: none (refused)
        people_categories=tuple(form.people_categories.data or ()),
        data_categories=tuple(form.data_categories.data or ()),
        controllers=_lines(form.controllers.data),
        assets=_lines(form.assets.data),
    )


def summary_rows(
    activity: ProcessingActivity, policy: ProcessingPolicy, assets: Sequence[str]
) -> list[tuple[str, str]]:
    """The activity's facts as (label, text) rows for its page."""

    def labels(kind: str) -> str:
        found = dict(policy.people_categories) if kind == "people" else {}
        chosen = [
            found.get(c.key) or policy.data_label(c.key)
            for c in activity.categories
            if c.kind == kind
        ]
        return "; ".join(chosen) or "None recorded"

    art9 = policy.art9_conditions.get(activity.art9_condition)
    schedule = policy.schedule_1_conditions.get(activity.schedule_1_condition)
    controllers = "; ".join(o.name for o in activity.controllers) or "None"
    return [
        ("Role", ROLE_LABELS[activity.role]),
        (
            "Controller it processes for"
            if activity.role is Role.PROCESSOR
            else "Joint controllers",
            controllers,
        ),
        ("Purpose", activity.purpose),
        ("Lawful basis", BASIS_LABELS[activity.lawful_basis]),
        ("Categories of people", labels("people")),
        ("Categories of personal data", labels("data")),
        ("Art. 9 condition", art9.label if art9 else "None"),
        ("Schedule 1 condition", schedule.label if schedule else "None"),
        ("Appropriate policy document in place", "Yes" if activity.has_policy_document else "No"),
        ("Recipients", activity.recipients or "None recorded"),
        ("International transfers", SAFEGUARD_LABELS[activity.safeguard]),
        ("Transfer detail", activity.transfer_detail or "None"),
        ("Retention", activity.retention),
        ("Security measures", activity.security_measures or "Not recorded"),
        ("Information assets used", "; ".join(assets) or "None"),
        ("Relies on consent", "Yes" if activity.relies_on_consent else "No"),
        ("Automated decision-making", "Yes" if activity.is_automated else "No"),
        ("Owner", activity.owner.name),
    ]
