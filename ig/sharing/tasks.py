"""Home-page tasks: agreements to review or get signed, and agreements to sign oneself."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.db import london_today
from ig.feature import Task
from ig.people.models import Organisation
from ig.sharing import register, states
from ig.sharing.models import Agreement, AgreementParty, OrganisationSignatory
from ig.sharing.pages import policy
from ig.sharing.rules import AgreementState


def sharing_tasks(session: Session, actor: Actor) -> list[Task]:
    """The IG team's reviews and signatures to chase; a signatory's own to sign."""
    tasks = []
    if actor.can("sharing.manage"):
        counts = register.state_counts(session, None, london_today(), policy().review_notice_days)
        for state, title in (
            (AgreementState.REVIEW_DUE, "Review data-sharing agreements"),
            (AgreementState.AWAITING_SIGNATURES, "Collect signatures on data-sharing agreements"),
        ):
            if counts[state]:
                tasks.append(
                    Task(title, "sharing.index", {"state": state.value}, state.label, counts[state])
                )
    if actor.can("sharing.sign") and actor.can("sharing.read"):
        tasks.extend(_to_sign(session, actor))
    return tasks


_TO_SIGN = (
    select(Organisation.id, Organisation.name, func.count(AgreementParty.id))
    .join(OrganisationSignatory, OrganisationSignatory.organisation_id == Organisation.id)
    .join(AgreementParty, AgreementParty.organisation_id == Organisation.id)
    .join(Agreement, Agreement.id == AgreementParty.agreement_id)
    .where(OrganisationSignatory.user_id == bindparam("user_id"))
    .where(states.BOUND_STATE.in_(["draft", "awaiting_signatures"]))
    .where(
        AgreementParty.signed_digest.is_(None)
        | (AgreementParty.signed_digest != Agreement.content_digest)
    )
    .group_by(Organisation.id, Organisation.name)
)


def _to_sign(session: Session, actor: Actor) -> list[Task]:
    """Open agreements not yet signed for the organisations the actor signs for."""
    params = {"user_id": actor.user_id, **states.state_params(london_today(), 0)}
    return [
        Task(
            f"Sign data-sharing agreements for {name}",
            "sharing.organisations.show",
            {"organisation_id": organisation_id},
            "Agreements waiting for your organisation's signature",
            count,
        )
        for organisation_id, name, count in session.execute(_TO_SIGN, params).all()
    ]
