"""The access section of the IG report: recertifications, and leavers' access removed or
still held, as recorded then and as now known."""

from __future__ import annotations

import datetime as dt

from ig.access import service
from ig.access.figures import access_section
from ig.access.recertification import recertify_access
from ig.audit.recorded import day_end
from ig.feature import ReportPeriod
from tests.access.helpers import POLICY, as_actor, make_world
from tests.factories import make_staff
from tests.queries import counting
from tests.section_checks import check_shape

START, END = dt.date(2026, 7, 1), dt.date(2026, 9, 30)


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 11, 0, tzinfo=dt.UTC)


def values(db, policies, recorded_by: dt.datetime | None) -> dict[str, float | None]:
    section = access_section(db, policies, ReportPeriod(START, END, recorded_by))
    check_shape(section)
    return {figure.key: figure.value for figure in section.figures}


def test_a_removal_recorded_late_counts_only_as_now_known(db, policies):
    world = make_world(db)
    manager, keeper = as_actor(world.manager), as_actor(world.owner)

    def grant(staff) -> int:
        data = service.AccessInput(world.asset.id, "read", "Caseload", staff.id)
        item = service.request_access(db, manager, POLICY, data, at(1, 5))
        service.decide_request(db, manager, item.id, True, "Ok", at(1, 5))
        service.record_granted(db, keeper, POLICY, item.id, dt.date(2026, 1, 6), at(1, 6))
        return item.id

    def remove(item_id: int, on: dt.date, when: dt.datetime) -> None:
        service.record_removed(db, keeper, item_id, on, "Left the council", when)

    removed_in_time = grant(make_staff(db, world.team, left_on=dt.date(2026, 8, 15)))
    remove(removed_in_time, dt.date(2026, 8, 20), at(8, 20))
    removed_late = grant(make_staff(db, world.team, left_on=dt.date(2026, 9, 1)))
    remove(removed_late, dt.date(2026, 9, 25), at(10, 6))  # dated back into the quarter
    kept = grant(world.staff)  # still employed: never a leaver's access
    recertify_access(db, manager, POLICY, kept, True, at(8, 10))
    recertify_access(db, manager, POLICY, kept, True, at(10, 2))  # after the quarter

    then = values(db, policies, day_end(END))
    db.flush()
    with counting(db.get_bind(), selects_only=True) as statements:
        now = values(db, policies, None)
    assert len(statements) == 2  # aggregates: never a query per record

    assert (then["access.leavers_removed"], now["access.leavers_removed"]) == (1, 2)
    assert (then["access.leavers_outstanding"], now["access.leavers_outstanding"]) == (1, 0)
    assert then["access.recertified"] == now["access.recertified"] == 1
