"""Staff records are linked to user accounts by work e-mail, only when unambiguous."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ig.audit.models import AuditEntry
from ig.auth.rules import SYSTEM
from ig.auth.service import create_user
from ig.people.accounts import link_staff_to_users
from ig.people.models import Staff
from ig.training.import_apply import write_staff
from ig.training.import_rows import StaffRow
from ig.training.models import ImportKind, TrainingImport
from tests.factories import make_staff, make_team, make_user

PASSWORD = "correct horse battery staple 42"


def test_a_new_user_is_linked_to_the_staff_record_with_their_address(db, policies):
    staff = make_staff(db, make_team(db), work_email="Pat.Jones@Eastmere.example")
    user = create_user(
        db, SYSTEM, policies, "pat.jones@eastmere.example", "Pat", PASSWORD, ["staff"]
    )
    db.refresh(staff)
    assert staff.user_id == user.id
    actions = db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["user.created", "staff.linked_to_users"]


def test_existing_users_are_linked_to_new_staff_records(db):
    team = make_team(db)
    user = make_user(db, email="sam@eastmere.example")
    staff = make_staff(db, team, work_email="SAM@eastmere.example")
    assert link_staff_to_users(db, SYSTEM) == 1
    db.refresh(staff)
    assert staff.user_id == user.id
    assert link_staff_to_users(db, SYSTEM) == 0  # nothing left to link


def test_ambiguous_or_taken_addresses_are_not_linked(db):
    team = make_team(db)
    make_user(db, email="shared@eastmere.example")
    twins = [make_staff(db, team, work_email="shared@eastmere.example") for _ in range(2)]
    taken = make_user(db, email="taken@eastmere.example")
    make_staff(db, team, work_email="other@eastmere.example", user_id=taken.id)
    second = make_staff(db, team, work_email="taken@eastmere.example")
    nobody = make_staff(db, team, work_email="")
    assert link_staff_to_users(db, SYSTEM) == 0
    for staff in [*twins, second, nobody]:
        db.refresh(staff)
        assert staff.user_id is None
    assert (
        db.scalar(select(AuditEntry.id).where(AuditEntry.action == "staff.linked_to_users")) is None
    )


def test_a_staff_import_links_new_staff_to_existing_users(db):
    team = make_team(db)
    user = make_user(db, email="new.starter@eastmere.example")
    job = TrainingImport(kind=ImportKind.STAFF, file_name="hr.csv", file_hash="y" * 64)
    db.add(job)
    db.flush()
    row = StaffRow(
        "S9", "New Starter", "New.Starter@eastmere.example", team.id, "", dt.date(2026, 11, 2), None
    )
    write_staff(db, SYSTEM, job, [row], dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC))
    linked = db.scalar(select(Staff.user_id).where(Staff.staff_number == "S9"))
    assert linked == user.id
