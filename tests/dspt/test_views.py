"""The DSPT evidence page: the permitted roles see each item with its figures for the
financial year to date and the lists they may open; staff are refused; a policy naming a
figure or page ig does not have stops the application."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil

import pytest

from ig import create_app
from ig.db import Database, london_today, utcnow
from ig.dspt.evidence import financial_year_to_date
from ig.policy_files import PolicyError
from ig.rights import service
from ig.settings import PROJECT_ROOT
from tests.rights.helpers import actor, request_input


def test_the_ig_officer_sees_the_evidence_with_its_figures_and_lists(client, db, login_as):
    data = request_input(received_on=london_today())
    service.log_request(
        db, actor(db), client.application.extensions["ig.policies"].rights, data, utcnow()
    )
    login_as("ig_officer")
    response = client.get("/dspt")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Evidence for the annual submission" in html
    assert "NDG standard 10: Accountable suppliers" in html
    received = re.search(
        r"Requests received</dt>\s*<dd[^>]*>\s*<p[^>]*><strong><a[^>]*>(\d+)</a>", html
    )
    assert received
    assert received.group(1) == "1"
    assert 'href="/contracts/?flag=missing_terms"' in html
    assert 'href="/training/evidence.csv"' in html


def test_the_auditor_reads_it_and_staff_are_refused(client, login_as):
    login_as("auditor")
    assert client.get("/dspt").status_code == 200
    login_as("staff")
    assert client.get("/dspt").status_code == 403


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('"assets.registered"', '"assets.no_such_figure"', "items.information_assets.figures"),
        ('endpoint = "dpia.index"', 'endpoint = "dpia.nowhere"', "items.dpias.lists.register"),
        ('endpoint = "dpia.index"', 'endpoint = "dpia.show"', "items.dpias.lists.register"),
    ],
)
def test_a_policy_naming_what_ig_lacks_stops_the_app(settings, engine, db, tmp_path, old, new, key):
    directory = tmp_path / "policies"
    shutil.copytree(PROJECT_ROOT / "policies", directory)
    path = directory / "dspt.toml"
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(PolicyError) as caught:
        create_app(dataclasses.replace(settings, policies_dir=directory), Database(engine))
    assert (caught.value.file, caught.value.key) == ("dspt.toml", key)


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (dt.date(2026, 12, 7), dt.date(2026, 4, 1)),
        (dt.date(2027, 3, 31), dt.date(2026, 4, 1)),
        (dt.date(2026, 4, 1), dt.date(2026, 4, 1)),
    ],
)
def test_the_financial_year_starts_on_1_april(today, start):
    period = financial_year_to_date(today)
    assert (period.start, period.end, period.recorded_by) == (start, today, None)
