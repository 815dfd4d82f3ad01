"""What people read: GOV.UK dates and times in UK time, the protective marking, one current item."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ig.db import LONDON
from ig.navigation import SECTIONS
from ig.policy_files import PolicyError
from ig.settings import PROJECT_ROOT
from ig.web import DEFAULT_MARKING, clock_time, load_marking, london_time, uk_date, uk_month

UTC = dt.UTC


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # GMT in winter, BST in summer: the same UTC hour reads an hour apart.
        (dt.datetime(2026, 12, 6, 14, 5, tzinfo=UTC), "6 December 2026 at 2:05pm"),
        (dt.datetime(2026, 6, 6, 14, 5, tzinfo=UTC), "6 June 2026 at 3:05pm"),
        (dt.datetime(2026, 12, 6, 12, 0, tzinfo=UTC), "6 December 2026 at midday"),
        (dt.datetime(2026, 12, 6, 0, 0, tzinfo=UTC), "6 December 2026 at midnight"),
        (dt.datetime(2026, 12, 6, 0, 30, tzinfo=UTC), "6 December 2026 at 12:30am"),
        (dt.datetime(2026, 12, 6, 12, 30, tzinfo=UTC), "6 December 2026 at 12:30pm"),
        (dt.datetime(2026, 12, 6, 9, 0, tzinfo=UTC), "6 December 2026 at 9am"),
        (dt.datetime(2026, 12, 6, 23, 59, tzinfo=UTC), "6 December 2026 at 11:59pm"),
        # 23:30 UTC on 31 May is 00:30 BST on 1 June: the UK date, not the UTC one.
        (dt.datetime(2026, 5, 31, 23, 30, tzinfo=UTC), "1 June 2026 at 12:30am"),
    ],
)
def test_instants_read_in_uk_time_in_gov_uk_style(instant, expected):
    assert london_time(instant) == expected


def test_dates_have_no_leading_zero_and_a_full_month():
    assert uk_date(dt.date(2026, 12, 6)) == "6 December 2026"
    assert uk_date(dt.date(2027, 1, 31)) == "31 January 2027"
    assert uk_date(None) == ""
    assert london_time(None) == ""


def test_a_naive_instant_is_refused_not_shown_as_if_uk_time():
    with pytest.raises(ValueError, match="timezone-aware"):
        london_time(dt.datetime(2026, 12, 6, 14, 5))  # noqa: DTZ001 - the case refused


SINCE = dt.datetime(2000, 1, 1)  # noqa: DTZ001 - hypothesis takes naive bounds


@given(st.datetimes(timezones=st.just(UTC), min_value=SINCE))
def test_every_instant_reads_back_as_its_uk_wall_clock_time(instant):
    text = london_time(instant)
    local = instant.astimezone(LONDON)
    match = re.fullmatch(
        r"(\d{1,2}) ([A-Z][a-z]+) (\d{4}) at (midday|midnight|(\d{1,2})(?::(\d\d))?(am|pm))", text
    )
    assert match, text
    day, month, year = int(match[1]), match[2], int(match[3])
    assert (day, month, year) == (local.day, local.strftime("%B"), local.year)
    if match[4] in ("midday", "midnight"):
        assert (local.hour, local.minute) == ((12, 0) if match[4] == "midday" else (0, 0))
        return
    hour, minute = int(match[5]), int(match[6] or 0)
    assert 1 <= hour <= 12
    assert match[6] != "00"
    assert (hour % 12 + (12 if match[7] == "pm" else 0), minute) == (local.hour, local.minute)


@pytest.mark.parametrize(("hour", "minute"), [(h, m) for h in range(24) for m in (0, 1, 59)])
def test_clock_time_is_twelve_hour_with_am_or_pm(hour, minute):
    text = clock_time(dt.time(hour, minute))
    assert text == text.lower()
    assert ":00" not in text
    assert not text.startswith("0")


# The protective marking ----------------------------------------------------------


def test_the_shipped_policy_marks_records_official_sensitive():
    assert load_marking(PROJECT_ROOT / "policies") == "OFFICIAL-SENSITIVE"


def test_without_a_printing_policy_the_marking_is_official_sensitive(tmp_path: Path):
    assert load_marking(tmp_path) == DEFAULT_MARKING == "OFFICIAL-SENSITIVE"


@pytest.mark.parametrize(
    ("content", "key", "message"),
    [
        ('version = "1"\nprotective_marking = "OFICIAL"\n', "protective_marking", "one of"),
        ('version = "1"\nprotective_marking = 3\n', "protective_marking", "must be text"),
        ('version = "1"\nmarking = "OFFICIAL"\n', "marking", "not a known setting"),
        ('protective_marking = "OFFICIAL"\n', "version", "is required"),
        ("protective_marking = \n", "(syntax)", ""),
    ],
)
def test_a_bad_marking_stops_start_up_naming_file_and_key(tmp_path, content, key, message):
    (tmp_path / "printing.toml").write_text(content, encoding="utf-8")
    with pytest.raises(PolicyError) as refused:
        load_marking(tmp_path)
    assert refused.value.file == "printing.toml"
    assert refused.value.key == key
    assert message in str(refused.value)


def test_the_app_refuses_to_start_with_a_bad_marking(settings, tmp_path):
    import dataclasses
    import shutil

    from ig import create_app

    directory = tmp_path / "policies"
    shutil.copytree(PROJECT_ROOT / "policies", directory)
    (directory / "printing.toml").write_text(
        'version = "1"\nprotective_marking = "RESTRICTED"\n', encoding="utf-8"
    )
    with pytest.raises(PolicyError, match=r"printing.toml: protective_marking: must be one of"):
        create_app(dataclasses.replace(settings, policies_dir=directory))


# Navigation ------------------------------------------------------------------------


def menu(html: bytes) -> bytes:
    found = re.search(rb'<nav[^>]*aria-label="Menu".*?</nav>', html, re.S)
    assert found is not None
    return found.group(0)


def subnav(html: bytes) -> bytes:
    found = re.search(rb'<nav class="ig-subnav.*?</nav>', html, re.S)
    return found.group(0) if found else b""


def marked(html: bytes) -> list[tuple[bytes, bytes]]:
    """(href, aria-current value) of each marked link."""
    return re.findall(rb'href="([^"]+)"\s*aria-current="(\w+)"', html)


def test_the_sections_name_pages_that_exist(app):
    from ig.auth.access import permission_of

    endpoints = [endpoint for section in SECTIONS for _label, endpoint in section.pages]
    assert len(endpoints) == len(set(endpoints)), "a page is in two sections"
    for endpoint in endpoints:
        assert permission_of(app, endpoint) not in (None, "public"), endpoint


@pytest.mark.parametrize(
    ("path", "section", "page"),
    [
        ("/", "/", "/"),
        ("/notifications", "/", "/notifications"),
        ("/incidents/", "/incidents/", "/incidents/"),
        ("/incidents/dashboard", "/incidents/", "/incidents/dashboard"),
        ("/caldicott/figures", "/caldicott/", "/caldicott/figures"),
        ("/sharing/check", "/sharing/", "/sharing/check"),
        ("/training/team", "/training/", "/training/team"),
        ("/notices/", "/notices/", None),  # one page: the menu item is the page
        ("/audit/encrypted-fields", "/audit/", "/audit/encrypted-fields"),
        ("/reminders/outbox", "/admin/users", "/reminders/outbox"),
        ("/people/teams", "/admin/users", "/people/teams"),
        ("/account", None, None),  # the header's link, in no section
    ],
)
def test_one_section_is_marked_and_the_page_once(client, login_as, path, section, page):
    login_as("ig_officer", "administrator")
    html = client.get(path).data
    in_menu = marked(menu(html))
    assert [href for href, _ in in_menu] == ([section.encode()] if section else [])
    in_row = marked(subnav(html))
    if page is None:
        assert in_row == []
        expected_pages = [section.encode()] if section else []
        assert [h for h, value in in_menu if value == b"page"] == expected_pages
    else:
        assert in_menu[0][1] == b"true"  # the section, not the page
        assert in_row == [(page.encode(), b"page")]
    assert html.count(b'aria-current="page"') <= 1


def test_staff_see_their_few_sections_and_report_an_incident_first(client, login_as):
    login_as("staff")
    html = client.get("/").data
    labels = re.findall(
        rb'class="govuk-service-navigation__link"[^>]*>\s*(?:<strong[^>]*>)?([^<]+)', menu(html)
    )
    assert [label.strip() for label in labels] == [
        b"Home",
        b"Incidents",
        b"Caldicott",
        b"Sharing",
        b"Training",
        b"Access",
        b"Information rights",  # staff log a request they receive, for the team
    ]
    main = html.split(b'id="main-content"', 1)[1]
    first_link = re.search(rb'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', main)
    assert first_link is not None
    assert first_link.groups() == (b"/incidents/report", b"Report an incident")


def test_iso_date_text_reads_as_a_uk_date_and_other_text_is_left_alone():
    assert uk_date("2026-11-06") == "6 November 2026"
    assert uk_date("2026-11-06T09:00:00+00:00") == "6 November 2026"
    assert uk_date("not a date") == "not a date"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("2026-12", "December 2026"),
        ("2025-01", "January 2025"),
        ("2026-13", "2026-13"),
        ("Phishing", "Phishing"),
        ("within 24 hours", "within 24 hours"),
    ],
)
def test_month_labels_read_as_month_and_year(label, expected):
    assert uk_month(label) == expected


# The incident's print view ---------------------------------------------------------


def test_the_incident_print_view_is_marked_names_its_printer_and_is_audited(
    client, login_as, db, policies
):
    from sqlalchemy import select

    from ig.audit.models import AuditEntry
    from ig.auth.service import actor_for
    from ig.incidents import service
    from tests import factories

    reporter = factories.make_user(db, roles=["staff"], name="Alex Morgan")
    team = factories.make_team(db)
    now = dt.datetime.now(UTC)
    incident = service.report_incident(
        db,
        actor_for(reporter, policies),
        policies.incidents,
        service.Report(
            narrative="Letter sent to the wrong address",
            occurred_at=now - dt.timedelta(hours=5),
            found_at=now - dt.timedelta(hours=2),
            team_id=team.id,
            is_ongoing=False,
        ),
        now,
    )
    db.commit()
    printer = login_as("ig_officer", name="Priya Shah")
    html = client.get(f"/incidents/{incident.reference}/print").data
    assert html.count(b"Protective marking: </span>OFFICIAL-SENSITIVE") == 2
    printed = re.search(rb"Printed by ([^<]+?) on (\d{1,2} [A-Z][a-z]+ \d{4}) at ", html)
    assert printed is not None
    assert printed.group(1).decode() == printer.name
    assert b"Alex Morgan" in html  # the reporter by name
    # The timeline names people too: the e-mail address it records is shown as the name.
    assert reporter.email.encode() not in html
    assert re.search(rb"\d{1,2}:\d\d(?![ap]m)", html) is None  # no 24-hour times
    viewed = db.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "incident.detail_viewed",
            AuditEntry.record_id == incident.reference,
        )
    ).all()
    assert [entry.detail for entry in viewed] == [{"purpose": "printable view"}]
    assert reporter.email not in client.get(f"/incidents/{incident.reference}").text


def test_staff_cannot_print_an_incident(client, login_as):
    login_as("staff")
    response = client.get("/incidents/INC-2026-0001/print")
    assert response.status_code == 403
    assert b"OFFICIAL-SENSITIVE" not in response.data


def test_every_page_the_old_menu_offered_is_still_in_a_section():
    offered = {
        "home.index", "incidents.index", "audit.index", "audit.encrypted_fields",
        "caldicott.index", "auth.users", "notices.index", "reminders.notifications",
        "reminders.outbox", "sharing.index", "sharing.check", "training.organisation",
        "training.team", "training.mine", "people.staff",
    }  # fmt: skip
    in_sections = {endpoint for section in SECTIONS for _label, endpoint in section.pages}
    assert offered <= in_sections
