"""Demo IG risks for Eastmere: six risks with their reviews, one review overdue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy.orm import Session

from ig.auth.models import User
from ig.auth.rules import Actor
from ig.db import london_today
from ig.risks import actions
from ig.risks.lifecycle import review_risk
from ig.risks.links import link_record
from ig.risks.policy import RisksPolicy
from ig.risks.scoring import ReviewInput
from ig.risks.service import RiskInput, create_risk

OFFICER = "ig.officer@eastmere.example"
SIRO = "siro@eastmere.example"
MANAGER = "manager@eastmere.example"
# (title, category, owner, cause, effect, controls, target (l, i), asset linked,
#  [(days ago, likelihood, impact, note)]: the first is when it was recorded)
RISKS = [
    (
        "Personal data e-mailed to the wrong recipient",
        "people",
        OFFICER,
        "Address autocomplete in e-mail; busy teams sending case records to partners",
        "Disclosure of care records; harm to the people concerned; ICO report",
        "Annual IG training; warning banner on external e-mail",
        (2, 3),
        "Adult social care case records",
        [(320, 4, 3, "Risk recorded"), (80, 4, 3, "Three misdirected e-mails this quarter")],
    ),
    (
        "Ransomware attack on the case management system",
        "cyber",
        SIRO,
        "Phishing and unpatched remote access used by organised crime groups",
        "Case records unavailable for days; data published; services stopped",
        "Immutable backups; multi-factor authentication for remote access",
        (2, 4),
        "Children's services records",
        [(300, 3, 5, "Risk recorded"), (30, 3, 5, "Backup restore drill passed; threat unchanged")],
    ),
    (
        "Paper case files lost during the office move",
        "records",
        MANAGER,
        "Files boxed and moved between sites without a tracked inventory",
        "Loss of children's records; people cannot be given their history",
        "Box-level inventory signed at each hand-over",
        (2, 2),
        "Closed children's case files (paper archive)",
        [(260, 4, 3, "Risk recorded"), (40, 3, 3, "Inventory in place for the second phase")],
    ),
    (
        "Data shared with partners without an agreement",
        "sharing",
        OFFICER,
        "Urgent requests from partners answered before an agreement is in place",
        "Unlawful disclosure; partners unsure of their duties",
        "The 'May we share?' check; Caldicott route for one-off requests",
        (1, 4),
        None,
        [(240, 3, 4, "Risk recorded"), (50, 2, 4, "Agreements now cover every regular flow")],
    ),
    (
        "Subject access requests answered late",
        "compliance",
        MANAGER,
        "Searches across several systems; asset owners slow to respond",
        "Complaints to the ICO; loss of trust",
        "Rights requests fan out tasks to asset owners with reminders",
        (2, 2),
        None,
        [(400, 4, 3, "Risk recorded"), (250, 4, 2, "Backlog cleared; review again in six months")],
    ),
    (
        "Leavers keep access to information systems",
        "cyber",
        OFFICER,
        "Leavers' notices reach system owners late or not at all",
        "Former staff or their accounts used to read case records",
        "Quarterly recertification of access by asset owners",
        (1, 3),
        "Hospital discharge tracker",
        [(200, 3, 4, "Risk recorded"), (20, 2, 3, "Leavers' access now removed from the HR feed")],
    ),
]


def load_risks_demo(
    session: Session,
    policy: RisksPolicy,
    actors: Mapping[str, Actor],
    users: Mapping[str, User],
    now: dt.datetime,
) -> None:
    """Six risks, each recorded and reviewed since; the late-requests one is overdue."""
    officer = actors[OFFICER]
    created = []
    for title, category, owner, cause, effect, controls, target, asset, reviews in RISKS:
        (days, likelihood, impact, note), *later = reviews
        at = now - dt.timedelta(days=days)
        data = RiskInput(
            title, category, users[owner].id, cause, effect, controls, target[0], target[1]
        )
        first = ReviewInput(london_today(at), likelihood, impact, note)
        risk = create_risk(session, officer, policy, data, first, at)
        created.append(risk)
        for days, likelihood, impact, note in later:
            at = now - dt.timedelta(days=days)
            review = ReviewInput(london_today(at), likelihood, impact, note)
            review_risk(session, officer, policy, risk.id, review, risk.version, at)
        if asset:
            link_record(session, officer, risk, "asset", asset, now)
    actions.add_action(
        session,
        officer,
        created[0].id,
        "Turn off address autocomplete for external e-mail",
        users[OFFICER].id,
        london_today(now) + dt.timedelta(days=30),
        now,
    )
