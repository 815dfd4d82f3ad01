"""Each figure of the information rights section links to exactly the requests it counts."""

from __future__ import annotations

import datetime as dt

from ig.feature import ReportPeriod
from ig.rights import handling, service
from ig.rights.figures import rights_section
from ig.rights.models import Outcome
from tests.figure_links import check_links
from tests.rights.helpers import actor, request_input

PERIOD = ReportPeriod(dt.date(2026, 7, 1), dt.date(2026, 9, 30), None)


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 11, 0, tzinfo=dt.UTC)


def test_every_linked_figure_lists_exactly_its_requests(client, db, login_as, policies):
    team, rights = actor(db), policies.rights

    def log(type_key: str, month: int, day: int, closed: tuple[int, int] | None = None) -> None:
        data = request_input(type_key=type_key, received_on=dt.date(2026, month, day))
        request_id = service.log_request(db, team, rights, data, at(month, day)).id
        if closed:
            sent = dt.date(2026, *closed)
            handling.close_request(db, team, request_id, Outcome.COMPLETE, sent, "", at(*closed))

    log("subject_access", 6, 20, closed=(7, 10))  # received before, answered in the period
    log("subject_access", 7, 6, closed=(7, 20))
    log("foi", 8, 3, closed=(10, 2))  # answered after the period
    log("complaint", 7, 10)
    log("complaint", 10, 1)  # received after the period
    log("erasure", 9, 15)

    section = rights_section(db, policies, PERIOD)
    values = {figure.key: figure.value for figure in section.figures}
    assert (values["rights.received"], values["rights.closed"]) == (4, 2)
    checked = check_links(client, login_as, policies, section)
    assert {"rights.received", "rights.complaints", "rights.closed"} <= set(checked)
    unlinked = {f.key for f in section.figures if f.endpoint is None}
    assert unlinked == {
        "rights.on_time",
        "rights.foi_eir_on_time",
        "rights.paused",
        "rights.extended",
    }
