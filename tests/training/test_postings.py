"""A move between teams or job titles leaves past figures as they were (both databases)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ig.auth.rules import SYSTEM
from ig.people.models import PastPosting, Team
from ig.people.postings import Move, record_moves
from ig.training import service
from ig.training.figures import course_figures, team_figures
from ig.training.import_apply import write_staff
from ig.training.import_rows import StaffRow
from ig.training.manager import list_needing_action
from ig.training.models import ImportKind, TrainingImport
from tests.factories import make_staff, make_team

MOVED_ON = dt.date(2026, 6, 1)
BEFORE = dt.date(2026, 3, 31)
NOW = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)


def courses_on(db, policies, staff, on):
    result = service.get_training_status_on(db, [staff.id], on, policy=policies.training)
    return {row.course_code for row in result.get(staff.id, [])}


def move(db, staff, team, job_title="", on=MOVED_ON):
    added = record_moves(db, [Move(staff, team.id, job_title)], on, NOW)
    staff.team_id, staff.job_title = team.id, job_title
    db.flush()
    return added


def postings(db, staff):
    query = select(PastPosting).where(PastPosting.staff_id == staff.id)
    return list(db.scalars(query.order_by(PastPosting.ends_on)))


def test_a_move_keeps_the_posting_it_ends(db):
    finance, adults = make_team(db, name="Finance"), make_team(db, name="Adults")
    staff = make_staff(db, finance, job_title="Clerk", started_on=dt.date(2020, 1, 6))
    assert move(db, staff, adults, "Social Worker") == 1
    assert move(db, staff, finance, "Clerk", on=dt.date(2026, 9, 1)) == 1
    kept = [(p.team_id, p.job_title, p.starts_on, p.ends_on) for p in postings(db, staff)]
    assert kept == [
        (finance.id, "Clerk", dt.date(2020, 1, 6), MOVED_ON),
        (adults.id, "Social Worker", MOVED_ON, dt.date(2026, 9, 1)),
    ]


def test_nothing_is_kept_without_a_full_day_in_the_old_posting(db):
    finance, adults = make_team(db, name="Finance"), make_team(db, name="Adults")
    staff = make_staff(db, finance)
    assert move(db, staff, adults) == 1
    assert move(db, staff, finance) == 0  # a second move the same day
    starter = make_staff(db, finance, started_on=MOVED_ON + dt.timedelta(days=7))
    assert move(db, starter, adults) == 0  # not yet started
    unchanged = make_staff(db, finance, job_title="Clerk")
    assert move(db, unchanged, finance, "Clerk") == 0
    assert [len(postings(db, s)) for s in (staff, starter, unchanged)] == [1, 0, 0]


def test_courses_on_a_past_date_follow_the_posting_held_then(db, policies):
    adults = make_team(db, name="Adult Social Care")  # REC is required here
    finance = make_team(db, name="Finance")
    staff = make_staff(db, finance, job_title="Social Worker")  # SAR by job title
    move(db, staff, adults, "Clerk")
    assert courses_on(db, policies, staff, BEFORE) == {"DSA", "IGF", "CYB", "SAR"}
    assert courses_on(db, policies, staff, MOVED_ON) == {"DSA", "IGF", "CYB", "REC"}


def test_team_figures_and_scopes_on_a_past_date_use_the_old_team(db, policies):
    adults = make_team(db, name="Adults")
    finance = make_team(db, name="Finance")
    staff = make_staff(db, finance, name="Mover")
    move(db, staff, adults)
    training = policies.training

    def people_in(team, on):
        scope = select(Team.id).where(Team.id == team.id)
        figure = course_figures(db, training, on, team_ids=scope, codes=["DSA"])[0]
        return figure.n_overdue

    assert (people_in(finance, BEFORE), people_in(adults, BEFORE)) == (1, 0)
    assert (people_in(finance, MOVED_ON), people_in(adults, MOVED_ON)) == (0, 1)
    by_team = {f.name: f.figure.n_overdue for f in team_figures(db, training, BEFORE).rows}
    assert (by_team["Finance"], by_team["Adults"]) == (3, 0)  # DSA, IGF and CYB
    listed = list_needing_action(
        db, training, BEFORE, team_ids=select(Team.id).where(Team.id == finance.id)
    )
    assert [(row.name, row.team_name) for row in listed.rows] == [("Mover", "Finance")]


def test_a_staff_import_that_moves_someone_keeps_their_old_posting(db, policies):
    finance, adults = make_team(db, name="Finance"), make_team(db, name="Adults")
    staff = make_staff(db, finance, staff_number="P1", job_title="Clerk")
    job = TrainingImport(kind=ImportKind.STAFF, file_name="hr.csv", file_hash="x" * 64)
    db.add(job)
    db.flush()
    row = StaffRow("P1", staff.name, "", adults.id, "Social Worker", staff.started_on, None)
    write_staff(db, SYSTEM, job, [row], NOW)
    assert (job.rows_updated, staff.team_id, staff.job_title) == (1, adults.id, "Social Worker")
    [kept] = postings(db, staff)
    assert (kept.team_id, kept.job_title, kept.ends_on) == (finance.id, "Clerk", MOVED_ON)
    write_staff(db, SYSTEM, job, [row], NOW + dt.timedelta(days=1))  # the same file again
    assert len(postings(db, staff)) == 1
