"""The DPIA section's figures link to exactly their DPIAs."""

from __future__ import annotations

import datetime as dt

from ig.dpia import signoff
from ig.dpia.figures import dpia_section
from ig.dpia.models import Dpia, IcoDecision
from ig.feature import ReportPeriod
from tests.dpia.conftest import HIGH, LOW, make_dpia, officer, siro
from tests.figure_links import check_links, linked

START, END = dt.date(2026, 7, 1), dt.date(2026, 9, 30)


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 11, 0, tzinfo=dt.UTC)


def test_each_figure_lists_exactly_its_dpias(db, policies, client, login_as):
    policy, team, signer = policies.dpia, officer(db), siro(db)

    def version(dpia_id: int) -> int:
        return db.get(Dpia, dpia_id).version

    def dpia(created: dt.datetime, risk, title: str, signed: dt.datetime | None = None) -> int:
        made = make_dpia(db, policy, team, risks=(risk,), submit=True, now=created, title=title)
        if signed:
            if risk is HIGH:
                consult(made, None, created)
            signoff.sign_off_dpia(db, signer, policy, made, version(made), signed)
        return made

    def consult(dpia_id: int, on: dt.date | None, when: dt.datetime) -> None:
        decision = IcoDecision.CONSULTED if on else IcoDecision.NOT_CONSULTED
        data = signoff.IcoConsultation(decision, on, "ICO/1" if on else "", "Advice")
        signoff.record_ico_consultation(db, team, dpia_id, data, version(dpia_id), when)

    dpia(at(2025, 1, 5), LOW, "Review overdue", signed=at(2025, 2, 1))
    dpia(at(2026, 1, 5), LOW, "Review not yet due", signed=at(2026, 2, 1))
    consulted = dpia(at(2026, 7, 2), HIGH, "High, consulted")
    consult(consulted, dt.date(2026, 8, 1), at(2026, 8, 2))
    signoff.sign_off_dpia(db, signer, policy, consulted, version(consulted), at(2026, 8, 15))
    dpia(at(2026, 7, 3), HIGH, "High, signed off after the period", signed=at(2026, 10, 2))
    dpia(at(2026, 7, 4), LOW, "Low, signed off in the period", signed=at(2026, 8, 3))
    dpia(at(2026, 7, 5), HIGH, "Still open")
    make_dpia(db, policy, team, now=at(2026, 10, 1), title="Started after the period")
    make_dpia(db, policy, team, criteria=(), now=at(2026, 7, 3), title="Screened: not needed")

    section = dpia_section(db, policies, ReportPeriod(START, END, None))
    assert {f.key: f.value for f in section.figures} == {
        "dpia.open": 2,
        "dpia.review_overdue": 1,
        "dpia.high_residual_signed_off": 1,
        "dpia.ico_consulted": 1,
    }
    assert len(linked(section)) == 4
    check_links(client, login_as, policies, section)
