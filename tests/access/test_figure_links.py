"""The access section's recertifications and leavers' access removed and still held link
to exactly their records; leaving dates from the HR import count as recorded then."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ig.access import service
from ig.access.figures import access_section
from ig.access.recertification import recertify_access
from ig.audit.models import AuditEntry
from ig.audit.recorded import day_end
from ig.auth.rules import SYSTEM
from ig.feature import ReportPeriod
from ig.training.import_apply import write_staff
from ig.training.import_rows import StaffRow
from ig.training.models import ImportKind, TrainingImport
from tests.access.helpers import POLICY, as_actor, make_world
from tests.factories import make_staff
from tests.figure_links import check_links

START, END = dt.date(2026, 7, 1), dt.date(2026, 9, 30)


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 11, 0, tzinfo=dt.UTC)


def section(db, policies, recorded_by=None):
    return access_section(db, policies, ReportPeriod(START, END, recorded_by))


def values(db, policies, recorded_by=None) -> dict[str, float | None]:
    return {f.key: f.value for f in section(db, policies, recorded_by).figures}


def granter(db, world):
    manager, keeper = as_actor(world.manager), as_actor(world.owner)

    def grant(staff, removed_on: dt.date | None = None) -> int:
        data = service.AccessInput(world.asset.id, "read", "Caseload", staff.id)
        item = service.request_access(db, manager, POLICY, data, at(1, 5))
        service.decide_request(db, manager, item.id, True, "Ok", at(1, 5))
        service.record_granted(db, keeper, POLICY, item.id, dt.date(2026, 1, 6), at(1, 6))
        if removed_on:
            service.record_removed(db, keeper, item.id, removed_on, "Left", at(8, 20))
        return item.id

    return grant


def test_leavers_access_still_held_lists_exactly_that_access(db, policies, client, login_as):
    world = make_world(db)
    grant = granter(db, world)
    grant(make_staff(db, world.team, left_on=dt.date(2026, 8, 15)))  # still held
    grant(make_staff(db, world.team, left_on=dt.date(2026, 9, 30)))  # left on the last day
    grant(make_staff(db, world.team, left_on=dt.date(2026, 8, 1)), dt.date(2026, 8, 20))
    grant(make_staff(db, world.team, left_on=dt.date(2026, 6, 1)), dt.date(2026, 6, 30))  # before
    grant(make_staff(db, world.team, left_on=dt.date(2026, 10, 15)))  # left after the period
    # Removed in the period, but left only after it: not a leaver's access removed.
    grant(make_staff(db, world.team, left_on=dt.date(2026, 10, 1)), dt.date(2026, 8, 10))
    kept = grant(world.staff)  # still employed
    recertify_access(db, as_actor(world.manager), POLICY, kept, True, at(8, 10))
    recertify_access(db, as_actor(world.manager), POLICY, kept, True, at(9, 10))
    recertify_access(db, as_actor(world.manager), POLICY, kept, True, at(10, 2))  # after

    found = section(db, policies)
    assert {f.key: f.value for f in found.figures} == {
        "access.recertified": 2,
        "access.leavers_removed": 1,
        "access.leavers_outstanding": 2,
    }
    assert len(check_links(client, login_as, policies, found)) == len(found.figures)


def test_a_leaving_date_imported_after_the_period_counts_only_as_now_known(db, policies):
    world = make_world(db)
    grant = granter(db, world)
    backdated = make_staff(db, world.team, staff_number="P1")
    moved = make_staff(db, world.team, staff_number="P2", left_on=dt.date(2026, 9, 1))  # old data
    in_time = make_staff(db, world.team, staff_number="P3")
    for staff in (backdated, moved, in_time):
        grant(staff)
    job = TrainingImport(kind=ImportKind.STAFF, file_name="hr.csv", file_hash="x" * 64)
    db.add(job)
    db.flush()

    def hr_export(staff, left_on: dt.date | None, when: dt.datetime) -> None:
        row = StaffRow(
            staff.staff_number, staff.name, "", staff.team_id, "", staff.started_on, left_on
        )
        write_staff(db, SYSTEM, job, [row], when)

    def outstanding(recorded_by: dt.datetime | None) -> float | None:
        return values(db, policies, recorded_by)["access.leavers_outstanding"]

    then = day_end(END)
    hr_export(in_time, dt.date(2026, 9, 15), at(9, 16))
    assert outstanding(then) == outstanding(None) == 2  # P2 and P3
    hr_export(moved, dt.date(2026, 12, 31), at(10, 20))  # P2 is found to leave later
    assert (outstanding(then), outstanding(None)) == (2, 1)
    hr_export(backdated, dt.date(2026, 8, 31), at(10, 25))  # P1 left in the period
    assert (outstanding(then), outstanding(None)) == (2, 2)

    details = db.scalars(
        select(AuditEntry.detail)
        .where(AuditEntry.action == "staff.leaving_date")
        .order_by(AuditEntry.seq)
    ).all()
    assert details == [
        {"left_on": "2026-09-15", "was": None},
        {"left_on": "2026-12-31", "was": "2026-09-01"},
        {"left_on": "2026-08-31", "was": None},
    ]
