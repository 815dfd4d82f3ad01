"""The register's filters, sorting, paging and CSV export, and the dashboard's figures."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from ig.csv_cells import safe_cell
from ig.errors import PermissionDenied
from ig.incidents import export, home_counts, notify, register
from ig.incidents.dashboard import build_dashboard, month_labels
from ig.incidents.models import Status
from ig.incidents.notification_models import Phase, Regulator
from ig.incidents.register import RegisterFilter
from tests import factories
from tests.incidents.conftest import NOW, answer_ico_form, breach, report

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def incidents(db, policy, reporter, officer, team):
    """Four incidents: reported only, a graded ICO-notifiable breach past its deadline,
    a notified breach in another team, and a not-notifiable breach."""
    other = factories.make_team(db, name="Adult Social Care")
    new = report(db, reporter, policy, team, NOW)
    overdue = breach(db, reporter, officer, policy, team, NOW - 100 * HOUR, grade=(4, 3))
    overdue.incident_type = "email_wrong_recipient"
    notified = breach(db, reporter, officer, policy, other, NOW - 50 * HOUR, grade=(5, 4))
    notified.incident_type = "post_wrong_recipient"
    answer_ico_form(notified)
    notify.record_notification(
        db, officer, notified, Regulator.ICO, Phase.INITIAL, NOW - 40 * HOUR, "IC-1", "x", "", NOW
    )
    minor = breach(db, reporter, officer, policy, team, NOW - 10 * HOUR, grade=(2, 2))
    db.flush()
    return {"new": new, "overdue": overdue, "notified": notified, "minor": minor, "other": other}


def refs(page):
    return {incident.reference for incident, _ in page.rows}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (lambda i: RegisterFilter(), {"new", "overdue", "notified", "minor"}),
        (lambda i: RegisterFilter(status=Status.REPORTED), {"new"}),
        (lambda i: RegisterFilter(status=Status.NOTIFIED), {"notified"}),
        (lambda i: RegisterFilter(incident_type="email_wrong_recipient"), {"overdue"}),
        (lambda i: RegisterFilter(team_id=i["other"].id), {"notified"}),
        (lambda i: RegisterFilter(notifiable=True), {"overdue", "notified"}),
        (lambda i: RegisterFilter(notifiable=False), {"new", "minor"}),
        (lambda i: RegisterFilter(overdue=True), {"overdue"}),
        (lambda i: RegisterFilter(reference=i["minor"].reference.lower()), {"minor"}),
        (lambda i: RegisterFilter(date_from=dt.date(2026, 6, 9)), {"new", "minor"}),
        (lambda i: RegisterFilter(date_to=dt.date(2026, 6, 8)), {"overdue", "notified"}),
    ],
)
def test_filters(db, officer, incidents, filters, expected):
    page = register.list_incidents(db, officer, filters(incidents), NOW)
    assert refs(page) == {incidents[name].reference for name in expected}


def test_reference_search_escapes_like_wildcards(db, officer, incidents):
    assert (
        refs(register.list_incidents(db, officer, RegisterFilter(reference="INC-%"), NOW)) == set()
    )


def test_reporter_sees_only_their_own(db, policy, officer, incidents, make_actor, team):
    someone = make_actor("staff")
    mine = report(db, someone, policy, team)
    assert refs(register.list_incidents(db, someone, RegisterFilter(), NOW)) == {mine.reference}


def test_sort_and_paging(db, officer, incidents):
    oldest_first = register.list_incidents(
        db, officer, RegisterFilter(), NOW, sort="reported", descending=False, per_page=3
    )
    assert oldest_first.total == 4
    assert oldest_first.pages == 2
    assert oldest_first.rows[0][0].reference == incidents["overdue"].reference
    second = register.list_incidents(db, officer, RegisterFilter(), NOW, page=2, per_page=3)
    assert len(second.rows) == 1
    by_reference = register.list_incidents(db, officer, RegisterFilter(), NOW, sort="reference")
    numbers = [incident.sequence for incident, _ in by_reference.rows]
    assert numbers == sorted(numbers, reverse=True)


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Adult Social Care", "Adult Social Care"),
        (None, ""),
        (3, "3"),
    ],
)
def test_csv_cells_are_safe_against_formula_injection(value, safe):
    assert safe_cell(value) == safe


def test_csv_export(db, officer, incidents, make_actor):
    incidents["other"].name = "=cmd|' /C calc'!A0"
    db.flush()
    text = "".join(export.export_csv(db, make_actor("auditor"), RegisterFilter(), NOW))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Reference"
    assert len(rows) == 5
    assert "'=cmd|' /C calc'!A0" in [row[4] for row in rows]
    assert "Letter about a child" not in text  # no encrypted detail in the export
    with pytest.raises(PermissionDenied):
        list(export.export_csv(db, make_actor("staff"), RegisterFilter(), NOW))


def test_home_page_counts(db, incidents):
    assert home_counts.count_untriaged(db) == 1
    assert home_counts.count_overdue(db, NOW) == 1
    assert home_counts.count_awaiting_confirmation(db) == 2


def test_dashboard_figures(db, policy, incidents):
    figures = build_dashboard(db, policy, NOW)
    assert figures.months[-1] == "2026-06"
    assert len(figures.months) == 24
    june = {m: total for m, _, total in figures.by_month_type}["2026-06"]
    assert june == 4
    assert sum(bar.value for bar in figures.type_bars) == 4
    assert figures.notified_count == 1
    assert figures.average_hours == 10.0  # aware at NOW-50h, notified at NOW-40h
    assert [b.value for b in figures.notify_bars] == [1, 0, 0, 0]
    assert [b.value for b in figures.age_bars] == [4, 0, 0, 0]
    assert max(b.width for b in figures.age_bars) == 100


def test_month_labels_cross_the_year():
    labels = month_labels(dt.date(2026, 2, 10), 4)
    assert labels == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_home_page_tasks_for_each_role(db, incidents, make_actor, officer):
    from ig.incidents.tasks import incident_tasks

    titles = {task.title: task.count for task in incident_tasks(db, officer)}
    assert titles["Triage new incident reports"] == 1
    assert "Notify the ICO: 72-hour deadline passed" in titles  # the overdue fixture
    siro = {task.title: task.count for task in incident_tasks(db, make_actor("siro"))}
    assert siro == {"Confirm incident gradings": 2}
    assert incident_tasks(db, make_actor("staff")) == []
