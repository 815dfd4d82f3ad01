"""The information rights figures: on time month by month by kind against its target,
open requests by days left (a paused clock apart), the year's pauses and extensions;
the page, its CSV and its API, for those who read the register."""

from __future__ import annotations

import datetime as dt

from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.db import utcnow
from ig.rights import handling, service
from ig.rights.dashboard import rights_figures
from ig.rights.models import Outcome, PauseReason
from tests.factories import make_user
from tests.reminders.test_engine import at
from tests.rights.helpers import actor, request_input

TODAY = dt.date(2026, 12, 10)


def _log(db, policies, received: dt.date):
    data = request_input(received_on=received)
    return service.log_request(db, actor(db), policies.rights, data, at(received))


def _answer(db, item, sent: dt.date) -> None:
    handling.close_request(db, actor(db), item.id, Outcome.COMPLETE, sent, "", at(sent))


def _made(db, policies):
    """November: one subject access request answered on time, one late. Open: one
    overdue, one paused, one due in over 20 days."""
    _answer(db, _log(db, policies, dt.date(2026, 10, 1)), dt.date(2026, 11, 2))  # due 2 Nov
    _answer(db, _log(db, policies, dt.date(2026, 10, 5)), dt.date(2026, 11, 20))  # late
    _log(db, policies, dt.date(2026, 10, 20))  # due 20 November: overdue
    paused = _log(db, policies, dt.date(2026, 12, 1))
    handling.pause_clock(
        db, actor(db), policies.rights, paused.id, PauseReason.IDENTITY, dt.date(2026, 12, 2),
        None, at(dt.date(2026, 12, 2)),
    )  # fmt: skip
    _log(db, policies, dt.date(2026, 12, 9))  # due 11 January


def test_on_time_by_month_and_kind_and_open_by_days_left(db, policies):
    _made(db, policies)
    found = rights_figures(db, policies.rights, TODAY)
    assert [m.label for m in found.months][-2:] == ["2026-11", "2026-12"]
    november = found.months[-2].kinds["subject_access"]
    assert (november.answered, november.on_time, november.percent) == (2, 1, 50.0)
    assert found.kinds == ["subject_access"]
    assert dict(found.open_bands) == {
        "Overdue": 1,
        "Due within 5 days": 0,
        "6 to 10 days": 0,
        "11 to 20 days": 0,
        "More than 20 days": 1,
        "Clock paused": 1,
    }
    assert found.paused == 1
    assert found.extended == 0


def test_the_page_csv_and_api_for_the_register_s_readers(client, login_as, db, policies):
    _made(db, policies)
    login_as("staff")
    assert client.get("/rights/figures").status_code == 403
    login_as("information_rights_officer")
    page = client.get("/rights/figures").get_data(as_text=True)
    assert "Information rights figures" in page
    assert "Subject access" in page
    lines = client.get("/rights/figures.csv").get_data(as_text=True).splitlines()
    assert lines[0] == "month,kind,answered,on time,percent on time,target"
    assert "2026-11,subject_access,2,1,50.0,90" in lines
    officer = make_user(db, roles=("information_rights_officer",))
    _row, raw = tokens.create_token(db, SYSTEM, officer, "Power BI", utcnow())
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    body = client.get("/api/v1/rights/figures", headers=headers).get_json()
    assert {"month": "2026-11", "kind": "subject_access", "answered": 2, "on_time": 1,
            "percent_on_time": 50.0, "target": 90} in body["months"]  # fmt: skip
    assert {"band": "Clock paused", "requests": 1} in body["open_by_days_left"]
