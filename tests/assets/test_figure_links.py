"""The information asset section's figures link to exactly their assets."""

from __future__ import annotations

import csv
import datetime as dt
import io

from flask import render_template_string

from ig.assets.figures import assets_section
from ig.assets.service import confirm_asset
from ig.audit.service import Page
from ig.auth.rules import Actor
from ig.feature import ReportPeriod
from tests.factories import make_asset, make_user
from tests.figure_links import check_links, link_of, linked

START, END = dt.date(2026, 7, 1), dt.date(2026, 9, 30)


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 11, 0, tzinfo=dt.UTC)


def test_each_figure_lists_exactly_its_assets(db, policies, client, login_as):
    owner = make_user(db, roles=("manager",))
    iao = Actor(owner.id, owner.email, frozenset({"manager"}), frozenset({"home.view"}))

    def confirm(asset, when: dt.datetime) -> None:
        confirm_asset(db, iao, policies.assets, asset.id, asset.version, when)

    never = make_asset(db, owner, name="Never confirmed", now=at(2025, 1, 10))
    lapsed = make_asset(db, owner, name="Lapsed", now=at(2025, 1, 10))
    confirm(lapsed, at(2025, 6, 1))  # next due in 2026, before the period's end
    kept = make_asset(db, owner, name="Kept up", now=at(2025, 1, 10))
    confirm(kept, at(2026, 8, 1))  # in the period
    confirm(kept, at(2026, 8, 20))  # twice: one asset
    make_asset(db, owner, name="Added on the last day", now=at(2026, 9, 30))
    make_asset(db, owner, name="Added after the period", now=at(2026, 10, 5))
    confirm(never, at(2026, 10, 10))  # after the period: overdue on its last day still

    section = assets_section(db, policies, ReportPeriod(START, END, None))
    assert {f.key: f.value for f in section.figures} == {
        "assets.registered": 4,
        "assets.confirmation_overdue": 2,
        "assets.confirmed": 1,
    }
    assert len(linked(section)) == 3
    check_links(client, login_as, policies, section)

    # The CSV keeps the date filters.
    query = link_of(client, linked(section)["assets.confirmation_overdue"]).split("?")[1]
    export = client.get("/assets/export.csv?" + query)
    assert len(list(csv.reader(io.StringIO(export.get_data(as_text=True))))) == 1 + 2


def test_a_half_typed_date_filters_nothing_and_says_why(client, login_as):
    login_as("ig_officer")
    page = client.get("/assets/?on=30&on=9&on=")
    assert page.status_code == 200
    assert "On the register on must include a day, month and year" in page.get_data(as_text=True)


def test_the_next_page_keeps_every_box_of_a_date_filter(app):
    template = (
        '{% from "_macros/pagination.html" import pagination %}'
        '{{ pagination(page, "assets.index", request.args) }}'
    )
    with app.test_request_context("/assets/?on=30&on=9&on=2026&page=1"):
        html = render_template_string(template, page=Page([], 1, 1, 2))
    assert "page=2&amp;on=30&amp;on=9&amp;on=2026" in html
