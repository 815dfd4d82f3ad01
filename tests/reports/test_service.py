"""Generating and storing IG reports: reproducible "as recorded then", moving "as now known"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.audit.models import AuditEntry
from ig.auth.rules import Actor
from ig.auth.service import actor_for
from ig.errors import PermissionDenied, ValidationFailed
from ig.features import report_sections
from ig.incidents.notification_models import Notification, Phase, Regulator
from ig.policies import Policies
from ig.reports import service
from ig.reports.export import section_csv
from ig.reports.present import present_report
from tests import factories
from tests.incidents.clocks import State, make_incident

# Q1 2025-26 (April to June 2025), generated in July and again in August.
Q1 = (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
JULY = dt.datetime(2025, 7, 10, 9, tzinfo=dt.UTC)
AUGUST = dt.datetime(2025, 8, 20, 9, tzinfo=dt.UTC)
MAY = dt.datetime(2025, 5, 12, 9, tzinfo=dt.UTC)


def _figures(content: dict[str, Any], part: str) -> dict[str, Any]:
    return {f["key"]: f["value"] for s in content[part] for f in s["figures"]}


def _quarter(db: Session, policies: Policies) -> dict[str, Any]:
    """Three e-mail incidents reported in May 2025, one graded and notified on time; a
    member of staff whose training done in June is only recorded in August."""
    team = factories.make_team(db, kind="directorate")
    made = []
    for hours in (0, 30, 60):
        incident = make_incident(
            db,
            policies.incidents,
            team.id,
            State(graded=hours == 0, ico=hours == 0, ico_sent=20 if hours == 0 else None),
            MAY,
        )
        incident.reported_at = MAY + dt.timedelta(hours=hours)
        incident.incident_type = "email_wrong_recipient"
        incident.graded_at = MAY if hours == 0 else None
        made.append(incident)
    made[0].hours_to_notify = 20
    staff = factories.make_staff(db, team=team)
    db.flush()
    return {"incidents": made, "staff": staff, "team": team}


def _generate(db: Session, policies: Policies, officer: Actor, now: dt.datetime) -> Any:
    return service.generate_report(db, officer, policies, report_sections(), *Q1, now)


@pytest.fixture
def officer(db: Session, policies: Policies) -> Actor:
    user = factories.make_user(db, roles=("ig_officer",))
    return actor_for(user, policies)


def test_a_past_quarter_reissues_the_same_while_as_now_known_moves(
    db: Session, policies: Policies, officer: Actor
) -> None:
    made = _quarter(db, policies)
    stored = _generate(db, policies, officer, JULY)
    then = _figures(stored.content, "then")
    assert then["incidents.reported"] == 3
    assert then["incidents.type.email_wrong_recipient"] == 3
    assert then["incidents.reported_to_ico"] == 1
    assert then["incidents.grade.ungraded"] == 2
    assert then["incidents.hours_to_notify"] == 20
    assert stored.content["trend"]["series"]["incidents.reported"][-1] == 3
    assert len(stored.content["trend"]["quarters"]) == 8

    # In August: a second incident is graded and notified late, and the June training is
    # recorded at last (a late export).
    late = made["incidents"][1]
    late.graded_at, late.is_ico_notifiable = AUGUST, True
    late.first_notified_at, late.hours_to_notify = AUGUST, 2000
    late.notifications.append(
        Notification(regulator=Regulator.ICO, phase=Phase.INITIAL, sent_at=AUGUST, content="x")
    )
    for code in policies.training.courses:
        factories.make_completion(db, made["staff"], code, dt.date(2025, 6, 2), recorded_at=AUGUST)
    db.flush()
    again = _generate(db, policies, officer, AUGUST)

    assert again.content["then"] == stored.content["then"]
    assert again.content["trend"] == stored.content["trend"]
    before, now = _figures(stored.content, "now"), _figures(again.content, "now")
    assert (before["incidents.reported_to_ico"], now["incidents.reported_to_ico"]) == (1, 2)
    assert (before["incidents.notified_late"], now["incidents.notified_late"]) == (0, 1)
    assert before["training.compliance"] < now["training.compliance"] == 100.0
    # The stored report reads back exactly as it was stored.
    db.expire_all()
    assert service.get_report(db, stored.id).content["then"] == again.content["then"]
    assert stored.policy_versions["files"]["reports.toml"]


def test_generating_is_audited(db: Session, policies: Policies, officer: Actor) -> None:
    report = _generate(db, policies, officer, JULY)
    entry = db.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
    assert (entry.action, entry.record_id) == ("report.generated", str(report.id))
    assert entry.detail == {"start": "2025-04-01", "end": "2025-06-30"}


def test_the_scrutiny_version_withholds_small_counts_and_names(
    db: Session, policies: Policies, officer: Actor
) -> None:
    _quarter(db, policies)
    report = _generate(db, policies, officer, JULY)

    def link(endpoint: str, args: Any, permission: str | None) -> str:
        return f"/{endpoint}"

    public = present_report(report, link, scrutiny=True, threshold=5)
    full = present_report(report, link, scrutiny=False, threshold=5)
    rows = {r.key: r for s in public.sections for g in s.groups for r in g.rows}
    assert rows["incidents.type.email_wrong_recipient"].value == "fewer than 5"
    assert rows["incidents.type.email_wrong_recipient"].href is None
    assert rows["training.compliance"].value.endswith("%")  # not a count of people
    assert public.generated_by is None
    assert full.generated_by == officer.label
    full_rows = {r.key: r for s in full.sections for g in s.groups for r in g.rows}
    assert full_rows["incidents.type.email_wrong_recipient"].value == "3"
    assert full_rows["incidents.reported"].href == "/incidents.index"
    scrutiny_csv = section_csv(report, "incidents", scrutiny=True, threshold=5)
    assert "fewer than 5" in scrutiny_csv
    assert ",3," not in scrutiny_csv
    assert ",3,3," in section_csv(report, "incidents", scrutiny=False, threshold=5)


def test_each_definition_is_in_the_glossary_once(
    db: Session, policies: Policies, officer: Actor
) -> None:
    report = _generate(db, policies, officer, JULY)
    view = present_report(report, None, scrutiny=False, threshold=5)
    definitions = [definition for _term, definition in view.glossary]
    assert len(definitions) == len(set(definitions))
    every = {f["definition"] for s in report.content["then"] for f in s["figures"]}
    assert set(definitions) == every


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (None, dt.date(2025, 6, 30), "start"),
        (dt.date(2025, 6, 30), dt.date(2025, 4, 1), "end"),
        (dt.date(2025, 4, 1), dt.date(2025, 7, 11), "end"),
    ],
)
def test_a_bad_period_is_refused_and_nothing_stored(
    db: Session, policies: Policies, officer: Actor, start: Any, end: Any, field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        service.generate_report(db, officer, policies, report_sections(), start, end, JULY)
    assert refused.value.field == field
    assert service.list_reports(db).total == 0


@pytest.mark.parametrize("role", ["caldicott_guardian", "manager", "auditor"])
def test_only_those_who_may_generate_reports_can_and_a_refusal_stores_nothing(
    db: Session, policies: Policies, role: str
) -> None:
    reader = actor_for(factories.make_user(db, roles=(role,)), policies)
    with pytest.raises(PermissionDenied, match="SIRO and the IG team"):
        service.generate_report(db, reader, policies, report_sections(), *Q1, JULY)
    assert service.list_reports(db).total == 0
