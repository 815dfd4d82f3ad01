"""Demo privacy notices for Eastmere: one per service, in every review state."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.notices.models import Audience, PrivacyNotice, ReviewOutcome
from ig.notices.policy import NoticesPolicy
from ig.notices.service import (
    NoticeInput,
    ReviewInput,
    create_notice,
    flag_notices_for_service,
    review_notice,
)

BASE_URL = "https://www.eastmere.example/privacy/"
# (service, title, audience, months before today it took effect, owned by the manager?)
NOTICES = [
    ("adult_social_care", "Adult social care privacy notice", Audience.PUBLIC, 13, True),
    ("childrens_services", "Children's services privacy notice", Audience.PUBLIC, 11, False),
    ("carers", "Carers' service privacy notice", Audience.PUBLIC, 4, True),
    ("housing", "Housing privacy notice", Audience.PUBLIC, 2, False),
    ("corporate", "Staff privacy notice", Audience.STAFF, 6, False),
]


def load_notices_demo(
    session: Session,
    policy: NoticesPolicy,
    actor: Actor,
    ig_officer_id: int,
    manager_id: int,
    now: dt.datetime,
) -> None:
    """Five notices: one overdue, one due soon, one flagged by a new agreement, with history."""
    today = now.date()
    for service, title, audience, months, by_manager in NOTICES:
        effective = today - dt.timedelta(days=30 * months + 5)
        notice = create_notice(
            session,
            actor,
            policy,
            NoticeInput(
                title=title,
                service_key=service,
                owner_user_id=manager_id if by_manager else ig_officer_id,
                published_url=BASE_URL + service.replace("_", "-"),
                audience=audience,
                processing=f"How the council uses personal information in {title.lower()[:-15]}",
                text=f"{title}. Eastmere Borough Council is the controller for the personal "
                "information described here. We use it to provide our services (UK GDPR "
                "Art. 6(1)(e)), share it only under agreements listed on our website, and keep "
                "it for as long as our retention schedule says.",
                effective_on=effective,
                approved_by="Priya Shah, Data Protection Officer",
            ),
            now,
        )
        if service == "housing":
            _add_recipient(session, policy, actor, notice, now)
    flag_notices_for_service(
        session,
        actor,
        "carers",
        "New data-sharing agreement with Eastmere Carers Trust",
        now=now,
        policy=policy,
    )


def _add_recipient(
    session: Session, policy: NoticesPolicy, actor: Actor, notice: PrivacyNotice, now: dt.datetime
) -> None:
    """Review ``notice`` with a new version that names a new recipient, days ago."""
    today = now.date()
    review_notice(
        session,
        actor,
        policy,
        notice.id,
        ReviewInput(
            today - dt.timedelta(days=3),
            ReviewOutcome.UPDATED,
            "Added the new temporary accommodation provider as a recipient",
            notice.versions[0].text + " We now share with Eastmere Homes Ltd.",
            today - dt.timedelta(days=1),
            "Margaret Lowe, SIRO",
        ),
        notice.version,
        now,
    )
