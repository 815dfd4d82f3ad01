"""The stored reports' figures as a feed for Power BI: every figure of a report in both
bases, pulled whole or only those of reports generated since, for reports.read only."""

from __future__ import annotations

import datetime as dt

from ig.auth import tokens
from ig.auth.rules import SYSTEM, Actor
from ig.db import utcnow
from ig.features import report_sections
from ig.reports import service
from tests.factories import make_user

GENERATED = dt.datetime(2025, 7, 10, 9, tzinfo=dt.UTC)
FEED = "/api/v1/feeds/report_figures"


def _token(db, role: str) -> dict[str, str]:
    user = make_user(db, roles=(role,))
    _row, raw = tokens.create_token(db, SYSTEM, user, "Power BI", utcnow(), scope=tokens.READ_ONLY)
    return {"Authorization": f"Bearer {raw}"}


def test_every_figure_of_a_stored_report_is_a_row_in_both_bases(client, db, policies):
    user = make_user(db, roles=("siro",))
    siro = Actor(user.id, user.email, frozenset({"siro"}), frozenset({"reports.generate"}))
    report = service.generate_report(
        db, siro, policies, report_sections(), dt.date(2025, 4, 1), dt.date(2025, 6, 30),
        GENERATED,
    )  # fmt: skip
    headers = _token(db, "siro")
    db.commit()
    rows = client.get(f"{FEED}?page_size=5000", headers=headers).get_json()["value"]
    stored = {
        (basis, section["key"], figure["key"]): figure["value"]
        for basis in ("then", "now")
        for section in report.content[basis]
        for figure in section["figures"]
    }
    assert {(r["basis"], r["section"], r["key"]): r["value"] for r in rows} == stored
    assert {r["report_id"] for r in rows} == {report.id}
    assert {r["period_end"] for r in rows} == {"2025-06-30"}
    since = client.get(f"{FEED}?changed_since=2025-07-10T09:00:01Z", headers=headers)
    assert since.get_json()["value"] == []
    before = client.get(
        f"{FEED}?changed_since=2025-07-10T08:59:59Z&page_size=5000", headers=headers
    )
    assert len(before.get_json()["value"]) == len(rows)


def test_staff_cannot_read_the_report_figures(client, db):
    headers = _token(db, "staff")
    db.commit()
    assert client.get(FEED, headers=headers).status_code == 403
