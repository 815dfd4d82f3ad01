"""Between agreement forms and the service: choices, input objects, page context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.sharing import agreements, organisations, service
from ig.sharing.forms import DPIA_LABELS, ROLE_LABELS, AgreementForm, with_choices
from ig.sharing.models import Agreement, DpiaOutcome
from ig.sharing.policy import SharingPolicy


def fill_agreement_form(
    form: AgreementForm,
    policy: SharingPolicy,
    db: Session,
    agreement: Agreement | None = None,
    *,
    services: Mapping[str, str],
) -> AgreementForm:
    """Set the choices from the policies and, on first display, the current values."""
    with_choices(form.purposes, dict(policy.purposes))
    with_choices(form.categories, dict(policy.categories))
    with_choices(form.lawful_basis, dict(policy.lawful_bases), "Choose a lawful basis")
    with_choices(form.special_condition, dict(policy.special_conditions), "None")
    with_choices(form.statutory_gateway, dict(policy.statutory_gateways), "None")
    with_choices(form.service_key, dict(services), "Not tied to one service")
    if form.is_submitted():
        return form
    if agreement is None:
        own = service.find_self_organisation(db)
        form.owner.data = (own.code or own.name) if own else ""
        return form
    form.owner.data = agreement.owner.code or agreement.owner.name
    form.purposes.data = agreement.purposes
    form.categories.data = agreement.categories
    form.special_condition.data = agreement.special_condition or ""
    form.statutory_gateway.data = agreement.statutory_gateway or ""
    form.service_key.data = agreement.service_key or ""
    form.dpia_outcome.data = agreement.dpia_outcome.value if agreement.dpia_outcome else ""
    form.version.data = agreement.version
    return form


def agreement_input(db: Session, form: AgreementForm) -> agreements.AgreementInput:
    """The form's values as the service's input; ValidationFailed for an unknown lead."""
    owner = service.resolve_organisation(db, form.owner.data or "", "owner")
    text = {
        name: (getattr(form, name).data or "")
        for name in (
            "reference",
            "title",
            "purpose",
            "lawful_basis",
            "data_items",
            "data_subjects",
            "frequency",
            "transfer_method",
            "transfer_security",
            "retention",
            "rights_requests",
            "breach_procedure",
            "conditions",
            "dpia_reference",
        )
    }
    return agreements.AgreementInput(
        owner_id=owner.id,
        categories=tuple(form.categories.data or ()),
        purposes=tuple(form.purposes.data or ()),
        starts_on=form.starts_on.data,  # type: ignore[arg-type]
        review_on=form.review_on.data,  # type: ignore[arg-type]
        ends_on=form.ends_on.data,
        special_condition=form.special_condition.data or None,
        statutory_gateway=form.statutory_gateway.data or None,
        service_key=form.service_key.data or None,
        is_special_category=bool(form.is_special_category.data),
        dpia_outcome=DpiaOutcome(form.dpia_outcome.data) if form.dpia_outcome.data else None,
        dpia_on=form.dpia_on.data,
        **text,
    )


def agreement_context(
    db: Session,
    agreement: Agreement,
    actor: Actor,
    today: dt.date,
    policy: SharingPolicy,
    services: Mapping[str, str],
) -> dict[str, Any]:
    """Ready-to-show values for the agreement page, permission flags included."""
    state = service.state_of(agreement, today, policy.review_notice_days)
    mine = organisations.signatory_organisation_ids(db, actor.user_id)
    manage = actor.can("sharing.manage")
    can_sign = actor.can("sharing.sign")
    later = agreements.successor_of(db, agreement)
    return {
        "agreement": agreement,
        "state": state,
        "later": later,
        "is_open": agreement.terminated_on is None
        and later is None
        and state.value not in ("expired", "terminated"),
        "can_manage": manage,
        "signable": {
            p.id
            for p in agreement.parties
            if not p.has_signed and can_sign and (manage or p.organisation_id in mine)
        },
        "role_labels": {k.value: v for k, v in ROLE_LABELS.items()},
        "dpia_label": DPIA_LABELS.get(agreement.dpia_outcome, "") if agreement.dpia_outcome else "",
        "labels": {
            "lawful_basis": policy.label("lawful_bases", agreement.lawful_basis),
            "special_condition": policy.label("special_conditions", agreement.special_condition),
            "statutory_gateway": policy.label("statutory_gateways", agreement.statutory_gateway),
            "categories": [policy.label("categories", k) for k in agreement.categories],
            "purposes": [policy.label("purposes", k) for k in agreement.purposes],
            "service": services.get(agreement.service_key, agreement.service_key)
            if agreement.service_key
            else "",
        },
    }
