"""The information rights section of the IG report: requests received and answered, on
time by kind, clocks paused (UK GDPR Art. 12A) and extended, complaints, FOI and EIR.

Four aggregate queries. A request counts as received once logged, as answered once
its closure is in the audit trail, and a pause or extension once its entry is: so a
report as recorded then leaves out a request logged late, or a closure, pause or
extension recorded after its ``recorded_by``, and as now known counts them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session

from ig.audit.recorded import was_recorded
from ig.feature import Figure, ReportPeriod, Section, date_boxes
from ig.policies import Policies
from ig.rights.models import RequestStatus, RightsPause, RightsRequest
from ig.rights.policy import Family, RightsPolicy
from ig.rights.register import answered_clause, clock_changed, regime_keys

READ = "rights.read"
REGISTER = "rights.index"
ANSWERED = "Answered in the period"


def _received_in(period: ReportPeriod) -> dict[str, Any]:
    """The register's filter for the requests received in the period."""
    return {"received_from": date_boxes(period.start), "received_to": date_boxes(period.end)}


def _answered_in(period: ReportPeriod) -> dict[str, Any]:
    """The register's filter for the requests answered (or withdrawn) in the period."""
    return {
        "state": "closed",
        "sent_from": date_boxes(period.start),
        "sent_to": date_boxes(period.end),
    }


def _answering(period: ReportPeriod, **narrower: str) -> dict[str, Any]:
    """The register's filter for the requests answered in the period, the withdrawn left
    out: those an on-time percentage is computed over."""
    return {**_answered_in(period), "state": "answered", **narrower}


def _received(session: Session, period: ReportPeriod) -> dict[str, int]:
    query = (
        select(RightsRequest.type_key, func.count())
        .where(RightsRequest.received_on.between(period.start, period.end))
        .group_by(RightsRequest.type_key)
    )
    if period.recorded_by is not None:
        query = query.where(RightsRequest.logged_at <= period.recorded_by)
    return dict(session.execute(query).all())


def answered_by_type(session: Session, period: ReportPeriod) -> dict[str, tuple[int, int, int]]:
    """By type: (closed, answered rather than withdrawn, answered by the deadline)."""
    answered = answered_clause()
    # A response sent while the clock stood still (Art. 12A) is in time: closing a
    # paused request ends its pause without moving the stored deadline on.
    sent_while_paused = exists().where(
        RightsPause.request_id == RightsRequest.id,
        RightsPause.started_on <= RightsRequest.response_sent_on,
        RightsPause.ended_on >= RightsRequest.response_sent_on,
    )
    by_deadline = RightsRequest.response_sent_on <= RightsRequest.due_on
    on_time = answered & (by_deadline | sent_while_paused)
    query = (
        select(
            RightsRequest.type_key,
            func.count(),
            func.sum(case((answered, 1), else_=0)),
            func.sum(case((on_time, 1), else_=0)),
        )
        .where(
            RightsRequest.status == RequestStatus.CLOSED,
            RightsRequest.response_sent_on.between(period.start, period.end),
        )
        .group_by(RightsRequest.type_key)
    )
    if period.recorded_by is not None:
        closed = was_recorded(
            "rights_request", RightsRequest.id, ["rights.closed"], period.recorded_by
        )
        query = query.where(closed)
    return {key: (n, int(a or 0), int(t or 0)) for key, n, a, t in session.execute(query)}


def clock_changes(session: Session, change: str, period: ReportPeriod) -> int:
    """Requests whose clock was paused (``change`` "paused") or deadline extended
    ("extended") in the period, as recorded by the cut-off (register.clock_changed)."""
    changed = clock_changed(change, period.start, period.end, period.recorded_by)
    query = select(func.count()).select_from(RightsRequest).where(changed)
    return session.scalar(query) or 0


def percent_on_time(on_time: int, answered: int) -> float | None:
    return round(100 * on_time / answered, 1) if answered else None


def _percent_of(answered: Mapping[str, tuple[int, int, int]], keys: Iterable[str]) -> float | None:
    """The percentage on time across the kinds ``keys``; None when none was answered."""
    rows = [answered.get(key, (0, 0, 0)) for key in keys]
    return percent_on_time(sum(r[2] for r in rows), sum(r[1] for r in rows))


def _target(policy: RightsPolicy, keys: Iterable[str]) -> float | None:
    targets = {policy.types[key].on_time_target for key in keys}
    return float(targets.pop()) if len(targets) == 1 else None


def _by_type(
    policy: RightsPolicy, answered: Mapping[str, tuple[int, int, int]], period: ReportPeriod
) -> list[Figure]:
    figures = []
    for key, kind in policy.types.items():
        done = answered.get(key, (0, 0, 0))
        figures.append(
            Figure(
                f"rights.on_time.{key}",
                kind.label,
                percent_on_time(done[2], done[1]),
                f"Of the {kind.label} requests answered in the period (withdrawn ones "
                "left out), the percentage whose response was sent by the legal deadline, "
                "pauses and any extension counted.",
                unit="percent",
                group="On time by kind of request",
                target=float(kind.on_time_target),
                counts_people=False,
                endpoint=REGISTER,
                args=_answering(period, type=key),
                permission=READ,
            )
        )
    return figures


def _intake(
    policy: RightsPolicy, received: Mapping[str, int], period: ReportPeriod
) -> list[Figure]:
    complaint_keys = [k for k, t in policy.types.items() if t.family is Family.COMPLAINT]
    return [
        Figure(
            "rights.received",
            "Requests received",
            sum(received.values()),
            "Information rights requests, complaints and FOI and EIR requests received in "
            "the period, of every kind.",
            endpoint=REGISTER,
            args=_received_in(period),
            permission=READ,
        ),
        Figure(
            "rights.complaints",
            "Data protection complaints received",
            sum(received.get(key, 0) for key in complaint_keys),
            "Data protection complaints received in the period (DPA 2018 s.164A).",
            endpoint=REGISTER if complaint_keys else None,
            args={**_received_in(period), "type": complaint_keys[0]} if complaint_keys else {},
            permission=READ if complaint_keys else None,
        ),
    ]


def _answers(
    policy: RightsPolicy, answered: Mapping[str, tuple[int, int, int]], period: ReportPeriod
) -> list[Figure]:
    rights_keys, foi_keys = regime_keys(policy, "rights"), regime_keys(policy, "foi_eir")
    return [
        Figure(
            "rights.closed",
            "Requests answered",
            sum(row[0] for row in answered.values()),
            "Requests of every kind whose response was sent (or that were withdrawn) in "
            "the period.",
            group=ANSWERED,
            endpoint=REGISTER,
            args=_answered_in(period),
            permission=READ,
        ),
        Figure(
            "rights.on_time",
            "Data protection rights answered on time",
            _percent_of(answered, rights_keys),
            "Of the data protection rights requests (subject access and the other UK GDPR "
            "rights) answered in the period, the percentage answered by the legal deadline.",
            unit="percent",
            group=ANSWERED,
            target=_target(policy, rights_keys),
            counts_people=False,
            endpoint=REGISTER,
            args=_answering(period, regime="rights"),
            permission=READ,
        ),
        Figure(
            "rights.foi_eir_on_time",
            "FOI and EIR requests answered on time",
            _percent_of(answered, foi_keys),
            "Of the FOI and EIR requests answered in the period, the percentage answered "
            "within 20 working days or the extension the law allows.",
            unit="percent",
            group=ANSWERED,
            target=_target(policy, foi_keys),
            counts_people=False,
            endpoint=REGISTER,
            args=_answering(period, regime="foi_eir"),
            permission=READ,
        ),
    ]


def _changed_in(period: ReportPeriod, change: str) -> dict[str, Any]:
    """A figure's link to the register's requests whose clock ``change`` (a key of
    register.CLOCK_CHANGES) is dated in the period."""
    return {
        "endpoint": REGISTER,
        "args": {
            f"{change}_from": date_boxes(period.start),
            f"{change}_to": date_boxes(period.end),
        },
        "permission": READ,
    }


def _clock(paused: int, extended: int, period: ReportPeriod) -> list[Figure]:
    return [
        Figure(
            "rights.paused",
            "Clocks paused (Art. 12A)",
            paused,
            "Requests whose clock was stopped in the period while waiting for proof of "
            "identity, clarification or a fee (UK GDPR Art. 12A).",
            group="The clock",
            **_changed_in(period, "paused"),
        ),
        Figure(
            "rights.extended",
            "Deadlines extended",
            extended,
            "Requests whose deadline was extended, the requester being told in the period "
            "(UK GDPR Art. 12(3), FOIA s.10(3), EIR reg. 7(1)).",
            group="The clock",
            **_changed_in(period, "extended"),
        ),
    ]


def rights_section(session: Session, policies: Policies, period: ReportPeriod) -> Section:
    """The information rights section for ``period`` (four queries)."""
    policy: RightsPolicy = policies.rights
    received = _received(session, period)
    answered = answered_by_type(session, period)
    paused = clock_changes(session, "paused", period)
    extended = clock_changes(session, "extended", period)
    figures = (
        _intake(policy, received, period)
        + _answers(policy, answered, period)
        + _clock(paused, extended, period)
        + _by_type(policy, answered, period)
    )
    return Section(
        "rights",
        "Information rights",
        tuple(figures),
        headline=("rights.received", "rights.on_time", "rights.foi_eir_on_time"),
    )
