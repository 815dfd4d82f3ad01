"""The rights deadline reminders and home-page tasks: the handler (the team while there
is none) is told before a running deadline, the IG officer once overdue; a pause stops
them; closing cancels them."""

from __future__ import annotations

import datetime as dt

from ig.auth.service import actor_for
from ig.db import london_today, utcnow
from ig.reminders.engine import run_pass
from ig.reminders.models import ReminderStatus
from ig.rights import handlers, handling, service
from ig.rights.models import Outcome, PauseReason
from ig.rights.tasks import rights_tasks
from tests.factories import make_user
from tests.reminders.test_engine import about, at
from tests.rights.helpers import actor, request_input

RECEIVED = dt.date(2026, 11, 2)  # due Wednesday 2 December 2026


def log(db, policies, now=None, **fields):
    data = request_input(**fields)
    return service.log_request(db, actor(db), policies.rights, data, now or at(RECEIVED))


def stages(reminders, user):
    return sorted(r.stage for r in reminders if r.recipient_user_id == user.id)


def test_the_team_is_reminded_before_the_deadline_and_the_officer_once_overdue(db, policies):
    team = make_user(db, roles=("information_rights_officer",))
    officer = make_user(db, roles=("ig_officer",))
    item = log(db, policies)
    run_pass(db, policies.reminders, at(dt.date(2026, 11, 24)))
    assert about(db, "rights_request", item.id) == []
    run_pass(db, policies.reminders, at(dt.date(2026, 11, 26)))
    reminders = about(db, "rights_request", item.id)
    assert stages(reminders, team) == ["before-7"]
    title = reminders[0].title
    assert "Jo Bloggs" not in title
    run_pass(db, policies.reminders, at(dt.date(2026, 12, 4)))
    reminders = about(db, "rights_request", item.id)
    assert "overdue" in stages(reminders, team)
    assert "escalated" in stages(reminders, officer)
    handling.close_request(
        db, actor(db), item.id, Outcome.COMPLETE, dt.date(2026, 12, 4), "", at(dt.date(2026, 12, 4))
    )
    run_pass(db, policies.reminders, at(dt.date(2026, 12, 4), hour=10))
    assert about(db, "rights_request", item.id, ReminderStatus.PENDING) == []


def test_a_handled_request_reminds_its_handler_not_the_whole_team(db, policies):
    handler = make_user(db, roles=("information_rights_officer",))
    colleague = make_user(db, roles=("information_rights_officer",))
    officer = make_user(db, roles=("ig_officer",))
    item = log(db, policies)
    handlers.assign_handler(
        db, actor(db), policies.roles, item.id, handler.id, at(dt.date(2026, 11, 3))
    )
    run_pass(db, policies.reminders, at(dt.date(2026, 11, 26)))
    reminders = about(db, "rights_request", item.id)
    assert stages(reminders, handler) == ["before-7"]
    assert stages(reminders, colleague) == []
    run_pass(db, policies.reminders, at(dt.date(2026, 12, 4)))
    reminders = about(db, "rights_request", item.id)
    assert "overdue" in stages(reminders, handler)
    assert "escalated" in stages(reminders, officer)
    assert stages(reminders, colleague) == []


def test_a_paused_clock_is_not_reminded_about(db, policies):
    make_user(db, roles=("information_rights_officer",))
    item = log(db, policies)
    handling.pause_clock(
        db, actor(db), policies.rights, item.id, PauseReason.IDENTITY, dt.date(2026, 11, 3), None,
        at(dt.date(2026, 11, 3)),
    )  # fmt: skip
    run_pass(db, policies.reminders, at(dt.date(2026, 11, 30)))
    assert about(db, "rights_request", item.id) == []


def test_home_shows_the_team_its_overdue_and_due_soon_requests(app, db, policies):
    now, today = utcnow(), london_today()
    overdue = log(db, policies, now, received_on=today - dt.timedelta(days=60))
    log(db, policies, now, received_on=today - dt.timedelta(days=28))  # due in days
    log(db, policies, now, received_on=today)  # a month to go: not a task yet
    team = actor_for(make_user(db, roles=("information_rights_officer",)), policies)
    staff = actor_for(make_user(db, roles=("staff",)), policies)
    with app.app_context():
        tasks = rights_tasks(db, team)
        assert rights_tasks(db, staff) == []
    assert [(t.title, t.count, t.is_overdue) for t in tasks] == [
        ("Overdue information rights requests", 1, True),
        ("Information rights requests due soon", 1, False),
    ]
    assert overdue.due_on < today


def test_the_owner_asked_to_search_is_reminded_and_the_team_told_once_overdue(db, policies):
    from ig.rights import fanout
    from tests.rights.fanout_helpers import deleted, owned_asset

    team = make_user(db, roles=("information_rights_officer",))
    asset, owner = owned_asset(db)
    item = log(db, policies, type_key="erasure")
    (task,) = fanout.add_tasks(db, actor(db), item.id, [asset.name], "Why", at(RECEIVED))
    run_pass(db, policies.reminders, at(dt.date(2026, 11, 26)))
    assert about(db, "rights_task", task.id) == []
    run_pass(db, policies.reminders, at(dt.date(2026, 11, 27)))
    reminders = about(db, "rights_task", task.id)
    assert [(r.recipient_user_id, r.stage) for r in reminders] == [(owner.user_id, "before-5")]
    assert "Jo Bloggs" not in reminders[0].title
    run_pass(db, policies.reminders, at(dt.date(2026, 12, 4)))
    escalated = [r for r in about(db, "rights_task", task.id) if r.stage == "escalated"]
    assert team.id in [r.recipient_user_id for r in escalated]
    assert owner.user_id not in [r.recipient_user_id for r in escalated]
    fanout.record_task(db, owner, policies.rights, task.id, deleted(), at(dt.date(2026, 12, 4)))
    run_pass(db, policies.reminders, at(dt.date(2026, 12, 4), hour=10))
    assert about(db, "rights_task", task.id, ReminderStatus.PENDING) == []


def test_home_shows_an_owner_the_searches_asked_of_them(app, db, policies):
    from ig.rights import fanout
    from ig.rights.tasks import search_tasks
    from tests.rights.fanout_helpers import owned_asset

    asset, owner = owned_asset(db)
    _other, someone_else = owned_asset(db)
    item = log(db, policies, utcnow(), received_on=london_today() - dt.timedelta(days=40))
    fanout.add_tasks(db, actor(db), item.id, [asset.name], "Why", utcnow())
    with app.app_context():
        assert search_tasks(db, someone_else) == []
        (task,) = search_tasks(db, owner)
    assert (task.endpoint, task.count, task.is_overdue) == ("rights.my_tasks", 1, True)
