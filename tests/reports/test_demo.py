"""The demo keeps the SIRO's report for the quarter so far, with every register's figures."""

from __future__ import annotations

from sqlalchemy import select

from ig.db import london_today
from ig.demo import load_demo
from ig.reports.models import StoredReport


def test_the_demo_report_is_the_siros_quarter_to_date_across_every_register(db, policies):
    assert load_demo(db, policies) is True
    (report,) = db.scalars(select(StoredReport)).all()
    assert report.generated_by_label == "siro@eastmere.example"
    assert report.period_end == london_today()
    sections = {s["key"]: s for s in report.content["then"]}
    assert {"incidents", "caldicott", "sharing", "training", "rights", "risks"} <= set(sections)
    figures = {f["key"]: f["value"] for s in sections.values() for f in s["figures"]}
    assert figures["incidents.reported"] > 0  # the demo's incidents, as recorded today
