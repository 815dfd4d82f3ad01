"""The incident record: one row a report, with its status, grading and duties to notify."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    and_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ig.db import Base, Timestamped, UTCDateTime, Versioned, enum_type
from ig.incidents.action_models import IncidentAction
from ig.incidents.columns import detail, free_text
from ig.incidents.involved_models import AffectedPerson, IncidentStaff
from ig.incidents.notification_models import Notification
from ig.incidents.timeline_models import TimelineEntry
from ig.rowkeys import RowKeyed


class Status(enum.StrEnum):
    REPORTED = "reported"
    TRIAGED = "triaged"
    INVESTIGATING = "investigating"
    NOTIFIED = "notified"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    DUPLICATE = "duplicate"


class Kind(enum.StrEnum):
    BREACH = "breach"
    NEAR_MISS = "near_miss"
    NOT_INCIDENT = "not_incident"


class Exemption(enum.StrEnum):
    """UK GDPR Art. 34(3): when the people affected need not be told individually."""

    UNINTELLIGIBLE = "unintelligible"
    RISK_NO_LONGER_LIKELY = "risk_no_longer_likely"
    DISPROPORTIONATE_EFFORT = "disproportionate_effort"


class Likelihood(enum.StrEnum):
    """The ICO form: how likely the people affected are to suffer significant consequences."""

    VERY_LIKELY = "very_likely"
    LIKELY = "likely"
    NEUTRAL = "neutral"
    NOT_LIKELY = "not_likely"
    VERY_UNLIKELY = "very_unlikely"
    NOT_KNOWN = "not_known"


class Impact(enum.StrEnum):
    """The ICO form, cyber incidents: the impact on the organisation."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NOT_KNOWN = "not_known"


class Recovery(enum.StrEnum):
    """The ICO form, cyber incidents: the recovery time expected."""

    REGULAR = "regular"
    SUPPLEMENTED = "supplemented"
    EXTENDED = "extended"
    NOT_RECOVERABLE = "not_recoverable"
    COMPLETE = "complete"
    NOT_KNOWN = "not_known"


class Answer(enum.StrEnum):
    """A yes / no question of the ICO form that may not be known yet."""

    YES = "yes"
    NO = "no"
    NOT_KNOWN = "not_known"


class Incident(RowKeyed, Versioned, Timestamped, Base):
    """One reported incident; every breach is kept, reportable or not (UK GDPR Art. 33(5))."""

    __tablename__ = "incidents"
    __table_args__ = (
        UniqueConstraint("reference"),
        UniqueConstraint("year", "sequence"),
        Index("ix_incidents_status_reported_at", "status", "reported_at"),
        Index("ix_incidents_reported_at", "reported_at"),
        Index("ix_incidents_month_type_status", "month", "incident_type", "status"),
        Index("ix_incidents_team_id_reported_at", "team_id", "reported_at"),
        Index("ix_incidents_type_status_reported_at", "incident_type", "status", "reported_at"),
        Index("ix_incidents_reporter_id_reported_at", "reporter_id", "reported_at"),
        # The IG report's incidents open at a past date, answered from the index alone.
        Index("ix_incidents_closed_at_reported_at", "closed_at", "reported_at", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    sequence: Mapped[int] = mapped_column(Integer, nullable=False)
    # The UK-time month it was reported in ("2026-03"), for the dashboard's monthly counts.
    month: Mapped[str] = mapped_column(String(7), nullable=False)
    status: Mapped[Status] = mapped_column(enum_type(Status, "incident_status"), nullable=False)
    kind: Mapped[Kind | None] = mapped_column(enum_type(Kind, "incident_kind"))
    incident_type: Mapped[str | None] = mapped_column(String(60))
    is_confidentiality: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_integrity: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_availability: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_cyber: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_ongoing: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_vulnerable: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    found_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    reported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    aware_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    deadline_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    first_notified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    hours_to_notify: Mapped[int | None] = mapped_column(Integer)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="RESTRICT"), nullable=False
    )
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="SET NULL")
    )
    data_categories: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    people_categories: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    people_count: Mapped[int | None] = mapped_column(Integer)
    records_count: Mapped[int | None] = mapped_column(Integer)
    others_told: Mapped[str] = free_text(
        "incidents.others_told", "who outside the organisation has been told", with_detail=True
    )
    narrative: Mapped[str] = detail("incidents.narrative", "what happened, as reported")
    discovery: Mapped[str | None] = detail("incidents.discovery", "how it was discovered")
    containment: Mapped[str | None] = detail("incidents.containment", "containment taken")
    consequences: Mapped[str | None] = detail("incidents.consequences", "likely consequences")
    investigation_notes: Mapped[str | None] = detail(
        "incidents.investigation_notes", "the IG team's investigation notes"
    )
    root_cause: Mapped[str | None] = detail("incidents.root_cause", "root cause found")
    lessons_learned: Mapped[str | None] = detail(
        "incidents.lessons_learned", "lessons learned at closure"
    )
    # The ICO breach report form's questions beyond the record above.
    significant_likelihood: Mapped[Likelihood | None] = mapped_column(
        enum_type(Likelihood, "incident_significant_likelihood")
    )
    org_impact: Mapped[Impact | None] = mapped_column(enum_type(Impact, "incident_org_impact"))
    impact_detail: Mapped[str | None] = detail(
        "incidents.impact_detail", "impact of a cyber incident on the organisation"
    )
    recovery_time: Mapped[Recovery | None] = mapped_column(
        enum_type(Recovery, "incident_recovery_time")
    )
    preventative_measures: Mapped[str | None] = detail(
        "incidents.preventative_measures", "measures in place before the breach to prevent it"
    )
    staff_guidance: Mapped[Answer | None] = mapped_column(
        enum_type(Answer, "incident_staff_guidance")
    )
    reported_before: Mapped[Answer | None] = mapped_column(
        enum_type(Answer, "incident_reported_before")
    )
    reported_before_detail: Mapped[str] = free_text(
        "incidents.reported_before_detail", "a similar breach reported before", with_detail=True
    )
    # Answers the ICO was told are not yet known, and when it is to have them (Art. 33(4)).
    unknown_answers: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    ico_follow_up_on: Mapped[dt.date | None] = mapped_column(Date)
    status_reason: Mapped[str] = free_text(
        "incidents.status_reason",
        "why an incident was withdrawn, reopened or closed",
        with_detail=True,
    )
    # Grading on the NHS likelihood x severity grid, with the policy version it used.
    likelihood: Mapped[int | None] = mapped_column(Integer)
    severity: Mapped[int | None] = mapped_column(Integer)
    grading_version: Mapped[str | None] = mapped_column(String(40))
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    graded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    needs_confirmation: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    is_ico_notifiable: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_dhsc_notifiable: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    ico_override: Mapped[bool | None] = mapped_column(Boolean)
    dhsc_override: Mapped[bool | None] = mapped_column(Boolean)
    override_reason: Mapped[str] = free_text(
        "incidents.override_reason",
        "why the graded duty to notify was overridden",
        with_detail=True,
    )
    no_notification_reason: Mapped[str] = free_text(
        "incidents.no_notification_reason", "why the ICO is not being told", with_detail=True
    )
    # Whether that decision is recorded: the 72-hour clauses test this in SQL, since
    # they cannot read the encrypted reason. Kept in step by _decision_recorded.
    decided_not_to_notify: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # UK GDPR Art. 34: telling the people affected, or the exemption relied on.
    is_high_risk: Mapped[bool | None] = mapped_column(Boolean)
    people_told_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    people_told_how: Mapped[str] = free_text(
        "incidents.people_told_how", "how the people affected were told", with_detail=True
    )
    exemption: Mapped[Exemption | None] = mapped_column(enum_type(Exemption, "art34_exemption"))
    public_communication: Mapped[str] = free_text(
        "incidents.public_communication",
        "public communication in place of telling people",
        with_detail=True,
    )

    # Each row below gets its ``incident`` from these backrefs, so that the modules of
    # those rows need not import this one back.
    staff_links: Mapped[list[IncidentStaff]] = relationship(
        backref="incident", cascade="all, delete-orphan"
    )
    affected: Mapped[list[AffectedPerson]] = relationship(
        backref="incident", cascade="all, delete-orphan"
    )
    notifications: Mapped[list[Notification]] = relationship(
        backref="incident", cascade="all, delete-orphan", order_by="Notification.sent_at"
    )
    actions: Mapped[list[IncidentAction]] = relationship(
        backref="incident", cascade="all, delete-orphan", order_by="IncidentAction.id"
    )
    timeline: Mapped[list[TimelineEntry]] = relationship(
        backref="incident", order_by="TimelineEntry.id"
    )

    @validates("no_notification_reason")
    def _decision_recorded(self, _key: str, reason: str) -> str:
        self.decided_not_to_notify = bool(reason.strip())
        return reason


# The few incidents that must still be notified to the ICO, newest first: a partial
# index keeps the "overdue" register filter and the home-page count small at any size.
AWAITING_ICO = and_(Incident.is_ico_notifiable.is_(True), Incident.first_notified_at.is_(None))
NOTIFIED = Incident.first_notified_at.is_not(None)
# Partial, so that "not yet notified" never looks like a cheap way in to SQLite's planner.
Index(
    "ix_incidents_first_notified_at",
    Incident.first_notified_at,
    Incident.hours_to_notify,
    sqlite_where=NOTIFIED,
    postgresql_where=NOTIFIED,
)
Index(
    "ix_incidents_awaiting_ico",
    Incident.reported_at,
    sqlite_where=AWAITING_ICO,
    postgresql_where=AWAITING_ICO,
)
