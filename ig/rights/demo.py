"""Demo information rights requests for Eastmere: the AI transcription trial's consent
withdrawal (marked against the trial's processing activity, its removal asked of the
case records' owner) and erasure, a subject access request handed in at reception (paused for
identity), one overdue, a complaint, and FOI requests about the trial."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.db import london_today
from ig.policies import RolesPolicy
from ig.rights.consent import list_consent_activities, withdraw_consent
from ig.rights.disclosures import publish
from ig.rights.handlers import assign_handler
from ig.rights.handling import close_request, extend_deadline, pause_clock, restart_clock
from ig.rights.models import Outcome, PauseReason
from ig.rights.policy import RightsPolicy
from ig.rights.refusal_rules import GroundInput, RefusalInput
from ig.rights.refusals import record_refusal
from ig.rights.service import RequestInput, log_request

TEAM = "rights@eastmere.example"  # Nadia Rahman, information rights officer
STAFF = "staff@eastmere.example"  # Alex Morgan, who took a request at reception
TRIAL = "the AI transcription trial in adult social care"


def _ago(now: dt.datetime, days: int) -> dt.date:
    return london_today(now) - dt.timedelta(days=days)


def _requests(now: dt.datetime) -> dict[str, RequestInput]:
    return {
        "consent": RequestInput(
            "consent_withdrawal", _ago(now, 3), "email", "Margaret Ellis", "ASC-104233",
            "m.ellis@example.org",
            f"Withdraws her consent to {TRIAL}: her assessment visits were recorded on a "
            "council phone. Asks that the recordings and transcripts be deleted.",
        ),
        "erasure": RequestInput(
            "erasure", _ago(now, 40), "letter", "David Ellis", "ASC-104871",
            "14 Mill Lane, Eastmere", f"Erasure of his recordings and transcripts from {TRIAL}.",
            "Claire Ellis", "Lasting power of attorney for health and welfare, copy seen",
        ),
        "sar": RequestInput(
            "subject_access", _ago(now, 20), "in_person", "Peter Walsh", "ASC-099812",
            "p.walsh@example.org", "A copy of his adult social care records since 2022.",
        ),
        "overdue": RequestInput(
            "subject_access", _ago(now, 40), "email", "Grace Obi", "CSC-55120",
            "grace.obi@example.org", "Her children's services file from when she was in care.",
        ),
        "complaint": RequestInput(
            "complaint", _ago(now, 25), "web_form", "Peter Walsh", "ASC-099812",
            "p.walsh@example.org", "Unhappy that the council asked for identity twice.",
        ),
        "foi": RequestInput(
            "foi", _ago(now, 12), "email", "Eastmere Gazette newsdesk", "",
            "newsdesk@example.org", f"The cost of {TRIAL} and the supplier's contract.",
        ),
        "foi_refused": RequestInput(
            "foi", _ago(now, 25), "email", "Tom Hartley", "", "t.hartley@example.org",
            f"The contract for {TRIAL}, with its pricing schedule and the names of the "
            "supplier's staff who worked on it.",
        ),
        "foi_done": RequestInput(
            "foi", _ago(now, 70), "web_form", "J. Smith", "", "j.smith@example.org",
            "Number of subject access requests answered late in 2025.",
        ),
    }  # fmt: skip


def load_rights_demo(
    session: Session,
    policy: RightsPolicy,
    actors: Mapping[str, Actor],
    now: dt.datetime,
    roles: RolesPolicy | None = None,
) -> None:
    """Eight requests on their clocks, in the names of the demo's people: one FOI request
    refused in part (its refusal notice ready to print), one answer on the disclosure log,
    and the team's officer handling the requests she logged."""
    team, data = actors[TEAM], _requests(now)
    made = {
        key: log_request(session, actors[STAFF] if key == "sar" else team, policy, value, now)
        for key, value in data.items()
    }
    sar = made["sar"].id
    pause_clock(session, team, policy, sar, PauseReason.IDENTITY, _ago(now, 19), None, now)
    restart_clock(session, team, policy, sar, _ago(now, 12), now)
    extend_deadline(
        session, team, policy, made["erasure"].id, _ago(now, 20), 2,
        "The recordings are held by the trial's supplier and in three council systems.", now,
    )  # fmt: skip
    close_request(
        session, team, made["foi_done"].id, Outcome.COMPLETE, _ago(now, 50), "Figures sent", now
    )
    _withdraw_from_trial(session, team, made["consent"].id, now)
    _refuse_the_contract(session, team, policy, made["foi_refused"].id, now)
    publish(
        session, team, policy, made["foi_done"].id, "Subject access requests answered late in 2025",
        "How many subject access requests the council answered late in 2025.",
        "The number answered late in each month of 2025, and the total: 41 of 612 (6.7%).", now,
    )  # fmt: skip
    if roles is not None and team.user_id is not None:
        for key in ("consent", "erasure", "overdue", "complaint", "foi"):
            assign_handler(session, team, roles, made[key].id, team.user_id, now)


def _refuse_the_contract(
    session: Session, team: Actor, policy: RightsPolicy, request_id: int, now: dt.datetime
) -> None:
    """The trial's contract is released, but not its pricing (s.43) nor its staff (s.40(2))."""
    grounds = (
        GroundInput(
            "foi_s43",
            "The pricing schedule sets out the supplier's day rates and discounts, which it "
            "offers other councils on different terms; releasing them would prejudice its "
            "position in tenders now open, and the council's in its own next procurement.",
            "For disclosure: the public's interest in how the council spends money on a trial "
            "using residents' recordings, met in part by the contract's total value, released. "
            "Against: fair competition in open tenders and value for money in the council's "
            "next procurement. On balance the interest in withholding the rates outweighs it.",
        ),
        GroundInput(
            "foi_s40_2",
            "The supplier's staff are not senior and would not expect their names to be "
            "published; disclosure would not be lawful under UK GDPR Art. 6(1)(f).",
        ),
    )
    record_refusal(session, team, policy, request_id, RefusalInput("partial", grounds), now)
    close_request(
        session, team, request_id, Outcome.PARTIAL, london_today(now),
        "Contract and total value released; pricing schedule and staff names withheld", now,
    )  # fmt: skip


def _withdraw_from_trial(session: Session, team: Actor, request_id: int, now: dt.datetime) -> None:
    """Margaret Ellis withdrew from the trial's processing activity (when the record of
    processing has it): the owner of the assets it uses is asked to remove her data."""
    trial = [a.id for a in list_consent_activities(session) if "AI transcription" in a.name]
    if trial:
        withdraw_consent(
            session, team, request_id, trial,
            "The trial's recordings and transcripts are kept only in the systems its "
            "processing activity uses; no other system holds them.", now,
        )  # fmt: skip
