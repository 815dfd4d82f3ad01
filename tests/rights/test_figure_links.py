"""Each figure of the information rights section links to exactly the requests it counts."""

from __future__ import annotations

import datetime as dt

from ig.feature import ReportPeriod
from ig.rights import handling, service
from ig.rights.figures import rights_section
from ig.rights.models import Outcome, PauseReason
from tests.committing import commit_before_requests
from tests.figure_links import check_links, link_of, linked, paged_total
from tests.rights.helpers import actor, request_input

PERIOD = ReportPeriod(dt.date(2026, 7, 1), dt.date(2026, 9, 30), None)


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 11, 0, tzinfo=dt.UTC)


def test_every_linked_figure_lists_exactly_its_requests(client, db, login_as, policies):
    team, rights = actor(db), policies.rights

    def log(type_key: str, month: int, day: int, closed: tuple[int, int] | None = None) -> int:
        data = request_input(type_key=type_key, received_on=dt.date(2026, month, day))
        request_id = service.log_request(db, team, rights, data, at(month, day)).id
        if closed:
            sent = dt.date(2026, *closed)
            withdrawn = type_key == "erasure"
            outcome, note = (
                (Outcome.WITHDRAWN, "Withdrawn") if withdrawn else (Outcome.COMPLETE, "")
            )
            handling.close_request(db, team, request_id, outcome, sent, note, at(*closed))
        return request_id

    def pause(request_id: int, month: int, day: int) -> None:
        started = dt.date(2026, month, day)
        handling.pause_clock(
            db, team, rights, request_id, PauseReason.IDENTITY, started, None, at(month, day)
        )

    log("subject_access", 6, 20, closed=(7, 10))  # received before, answered in the period
    log("subject_access", 7, 6, closed=(7, 20))
    log("erasure", 7, 8, closed=(7, 21))  # withdrawn: no on-time percentage counts it
    log("foi", 8, 3, closed=(9, 2))
    log("foi", 8, 4, closed=(10, 2))  # answered after the period
    log("complaint", 7, 10)
    log("complaint", 10, 1)  # received after the period
    pause(log("erasure", 9, 15), 9, 20)
    pause(log("subject_access", 6, 1), 6, 5)  # paused before the period
    extended = log("subject_access", 9, 1)
    handling.extend_deadline(
        db, team, rights, extended, dt.date(2026, 9, 12), 2, "Complex", at(9, 12)
    )

    section = rights_section(db, policies, PERIOD)
    values = {figure.key: figure.value for figure in section.figures}
    assert (values["rights.received"], values["rights.closed"]) == (7, 4)
    assert (values["rights.paused"], values["rights.extended"]) == (1, 1)
    client = commit_before_requests(client, db)
    checked = check_links(client, login_as, policies, section)
    assert {f.key for f in section.figures} == set(checked)
    # Each percentage's list is the requests it is computed over: answered, not withdrawn.
    links = linked(section)
    for key, answered in (("rights.on_time", 2), ("rights.foi_eir_on_time", 1)):
        html = client.get(link_of(client, links[key])).get_data(as_text=True)
        assert paged_total(html) == answered, key
