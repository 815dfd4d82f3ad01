"""Demo teams, staff and completions for the fictional borough of Eastmere."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ig.auth.rules import SYSTEM
from ig.people.hierarchy import add_team_manager, create_team
from ig.people.models import Staff, Team, TeamKind
from ig.training.models import Completion, CompletionSource
from ig.training.policy import TrainingPolicy

HIERARCHY: dict[str, dict[str, list[str]]] = {
    "Adult Social Care": {
        "Adults East": ["Adults East Assessment", "Adults East Reviews"],
        "Adults West": ["Adults West Assessment", "Adults West Reviews"],
        "Hospital Discharge": [],
    },
    "Children's Services": {
        "Children in Care": ["Fostering", "Leaving Care"],
        "Early Help": [],
    },
    "Resources": {"Finance": [], "Human Resources": [], "Digital and IT": []},
}
FIRST = [
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Femi",
    "Grace",
    "Hugo",
    "Isla",
    "Jack",
    "Kiran",
    "Leah",
    "Marek",
    "Nia",
    "Owen",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tom",
    "Uma",
    "Vik",
]
LAST = [
    "Ahmed",
    "Baker",
    "Clarke",
    "Dunn",
    "Evans",
    "Fox",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Moore",
    "Novak",
    "Okoro",
    "Patel",
    "Reid",
    "Shaw",
    "Taylor",
    "Walsh",
]
TITLES = [
    "Social Worker",
    "Senior Social Worker",
    "Team Manager",
    "Business Support Officer",
    "Occupational Therapist",
    "Care Coordinator",
    "Finance Officer",
    "Service Manager",
]


def _teams(session: Session) -> dict[str, Team]:
    council = create_team(session, SYSTEM, "Eastmere Borough Council", TeamKind.DIRECTORATE)
    teams = {council.name: council}
    for directorate, services in HIERARCHY.items():
        top = create_team(session, SYSTEM, directorate, TeamKind.DIRECTORATE, council)
        teams[directorate] = top
        for service, children in services.items():
            middle = create_team(session, SYSTEM, service, TeamKind.SERVICE, top)
            teams[service] = middle
            for name in children:
                teams[name] = create_team(session, SYSTEM, name, TeamKind.TEAM, middle)
    return teams


def load_training_demo(
    session: Session,
    policy: TrainingPolicy,
    manager_user_id: int,
    staff_user_id: int,
    today: dt.date,
    people: int = 320,
) -> None:
    """Teams under Eastmere, a few hundred staff and their completions (reproducibly)."""
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    teams = _teams(session)
    add_team_manager(session, SYSTEM, teams["Adults East"], manager_user_id)
    leaves = [t for t in teams.values() if t.kind is not TeamKind.DIRECTORATE]
    staff = []
    for n in range(1, people + 1):
        team = teams["Adults East Assessment"] if n == 1 else rng.choice(leaves)
        started = today - dt.timedelta(days=rng.randint(5, 12 * 365))
        left = today - dt.timedelta(days=rng.randint(1, 200)) if rng.random() < 0.04 else None
        person = Staff(
            staff_number=f"EM{n:05d}",
            name="Alex Morgan" if n == 1 else f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            work_email=f"staff{n}@eastmere.example",
            team_id=team.id,
            job_title=rng.choice(TITLES),
            started_on=started,
            left_on=left if left and left > started else None,
            user_id=staff_user_id if n == 1 else None,
        )
        staff.append(person)
    session.add_all(staff)
    session.flush()
    session.execute(insert(Completion), _completions(rng, staff, list(policy.courses), today))
    session.flush()


def _completions(
    rng: random.Random, staff: list[Staff], codes: list[str], today: dt.date
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for person in staff:
        first = len(rows)
        for code in codes:
            # Most are recent, some about to expire, some long expired, some never done.
            for age in {rng.choice([20, 90, 200, 300, 350, 420, 800]) for _ in range(2)}:
                if rng.random() < 0.1:
                    continue
                done = max(today - dt.timedelta(days=age + rng.randint(0, 15)), person.started_on)
                rows.append(
                    {
                        "staff_id": person.id,
                        "course_code": code,
                        "completed_on": done,
                        "source": CompletionSource.IMPORT.value,
                        "recorded_at": dt.datetime.combine(done, dt.time(17), dt.UTC)
                        + dt.timedelta(days=1),
                    }
                )
        rows.extend(_late_export(person, codes[0], today, rows[first:]))
    return [dict(t) for t in {tuple(sorted(r.items())) for r in rows}]


def _late_export(
    person: Staff, code: str, today: dt.date, rows: list[dict[str, object]]
) -> list[dict[str, object]]:  # rows: this person's completions so far
    """For one person in five, the headline course done on 20 March before the last year
    end and learned of only from the learning system's export imported on 10 April, so
    that year end's figure as recorded then and as now known differ, as they would."""
    year = today.year if today > dt.date(today.year, 4, 10) else today.year - 1
    done = dt.date(year, 3, 20)
    mine = {r["completed_on"] for r in rows if r["course_code"] == code}  # this person's
    if person.id % 5 or person.started_on > done or done in mine:
        return []
    imported = dt.datetime.combine(dt.date(year, 4, 10), dt.time(9), dt.UTC)
    return [
        {
            "staff_id": person.id,
            "course_code": code,
            "completed_on": done,
            "source": CompletionSource.IMPORT.value,
            "recorded_at": imported,
        }
    ]
