"""Fixtures for incident tests: actors for each role, a team, incidents in a given state."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.auth.service import actor_for
from ig.incidents import notify, service
from ig.incidents.models import Incident, Kind
from ig.incidents.policy import IncidentsPolicy
from ig.policies import Policies
from tests import factories

NOW = dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def policy(policies: Policies) -> IncidentsPolicy:
    return policies.incidents


@pytest.fixture
def make_actor(db: Session, policies: Policies) -> Any:
    def make(*roles: str) -> Actor:
        return actor_for(factories.make_user(db, roles=roles), policies)

    return make


@pytest.fixture
def officer(make_actor: Any) -> Actor:
    return make_actor("ig_officer")  # type: ignore[no-any-return]


@pytest.fixture
def reporter(make_actor: Any) -> Actor:
    return make_actor("staff")  # type: ignore[no-any-return]


@pytest.fixture
def team(db: Session) -> Any:
    return factories.make_team(db, name="Children's Social Care North")


def report(
    db: Session,
    actor: Actor,
    policy: IncidentsPolicy,
    team: Any,
    now: dt.datetime = NOW,
    narrative: str = "Letter about a child sent to the wrong address",
) -> Incident:
    return service.report_incident(
        db,
        actor,
        policy,
        service.Report(
            narrative=narrative,
            occurred_at=now - dt.timedelta(hours=5),
            found_at=now - dt.timedelta(hours=2),
            team_id=team.id,
            is_ongoing=False,
        ),
        now,
    )


def breach(
    db: Session,
    reporter: Actor,
    officer: Actor,
    policy: IncidentsPolicy,
    team: Any,
    now: dt.datetime = NOW,
    grade: tuple[int, int] | None = (3, 3),
) -> Incident:
    """A reported incident triaged as a breach (aware at ``now``), optionally graded."""
    incident = report(db, reporter, policy, team, now)
    service.triage_incident(db, officer, policy, incident, Kind.BREACH, now, now)
    if grade:
        notify.grade_incident(db, officer, policy, incident, grade[0], grade[1], now)
    return incident


@pytest.fixture(scope="session")
def policy_file(policies: Policies) -> IncidentsPolicy:
    """The policy, session-scoped so that hypothesis tests can use it."""
    return policies.incidents


def answer_ico_form(incident: Incident, incident_type: str = "email_wrong_recipient") -> Incident:
    """Give the incident every answer the ICO's form marks mandatory that it lacks (as a
    non-cyber breach), keeping those it has."""
    from ig.incidents.models import Answer, Likelihood

    answers = {
        "incident_type": incident_type,
        "discovery": "The recipient rang us",
        "data_categories": ["basic_identifiers"],
        "people_categories": ["service_users"],
        "people_count": 1,
        "records_count": 1,
        "consequences": "Distress",
        "significant_likelihood": Likelihood.NOT_LIKELY,
        "containment": "Recipient deleted it",
        "preventative_measures": "Address checks",
        "staff_guidance": Answer.YES,
        "reported_before": Answer.NO,
    }
    for field, value in answers.items():
        if getattr(incident, field) in (None, "", []):
            setattr(incident, field, value)
    return incident
