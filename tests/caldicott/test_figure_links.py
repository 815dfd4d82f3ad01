"""The Caldicott section's figures link to exactly their requests."""

from __future__ import annotations

import datetime as dt

from ig.caldicott.figures import caldicott_section
from ig.feature import ReportPeriod
from tests import factories
from tests.caldicott.conftest import assess, sign
from tests.figure_links import check_links, linked

START, END = dt.date(2026, 4, 1), dt.date(2026, 6, 30)


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 10, 0, tzinfo=dt.UTC)


def test_each_figure_lists_exactly_its_requests(db, people, policy, policies, client, login_as):
    def received(when: dt.datetime, signed: dt.datetime | None = None, **decision) -> None:
        request = factories.make_caldicott_request(db, people["staff"][0], now=when)
        if signed:
            assess(db, policy, people["ig_officer"][1], request)
            sign(db, policy, people["caldicott_guardian"], request, now=signed, **decision)

    received(at(3, 20), signed=at(4, 2))  # received before, decided in the period, late
    received(at(3, 25))  # still awaiting at the end
    received(at(5, 4), signed=at(5, 6), outcome="declined", conditions=())  # on time
    received(at(6, 10), signed=at(7, 2))  # decided after the period: awaiting at its end
    received(at(6, 29))
    received(at(7, 3))  # after the period

    section = caldicott_section(db, policies, ReportPeriod(START, END, None))
    found = {f.key: f.value for f in section.figures}
    assert (found["caldicott.received"], found["caldicott.decided"]) == (3, 2)
    assert (found["caldicott.awaiting"], found["caldicott.decided_by_needed"]) == (3, 1)
    assert found["caldicott.outcome.declined"] == 1
    # Every figure links to its requests; the average to those it averages over.
    assert found["caldicott.days_to_decision"] == 7.5  # (13 + 2) / 2
    assert len(linked(section)) == len(found)
    bases = {"caldicott.days_to_decision": "caldicott.decided"}
    check_links(client, login_as, policies, section, bases=bases)
