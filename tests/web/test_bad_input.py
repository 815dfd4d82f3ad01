"""No input produces a server error: huge integers, unstorable characters, odd dates."""

from __future__ import annotations

from typing import Any

import pytest

HUGE = "9" * 30  # beyond a 64-bit integer, which SQLite cannot bind
EVERY_ROLE = (
    "ig_officer",
    "caldicott_guardian",
    "siro",
    "manager",
    "auditor",
    "administrator",
)


@pytest.fixture
def everyone(login_as: Any) -> Any:
    return login_as(*EVERY_ROLE)


@pytest.mark.parametrize(
    "url",
    [
        f"/people/?page={HUGE}",
        f"/admin/users?page={HUGE}",
        f"/audit/?page={HUGE}",
        f"/incidents/?page={HUGE}",
        f"/incidents/?team_id={HUGE}",
        f"/sharing/?page={HUGE}",
        f"/sharing/organisations/?page={HUGE}",
        f"/notices/?page={HUGE}",
        f"/caldicott/?page={HUGE}",
        f"/caldicott/figures?year={HUGE}",
        f"/training/?page={HUGE}",
        f"/training/team?page={HUGE}",
        f"/notifications?page={HUGE}",
        f"/reminders/outbox?page={HUGE}",
        "/people/?page=-3",
        "/incidents/?page=-1",
    ],
)
def test_an_out_of_range_number_in_a_query_string_is_a_400_page(
    client: Any, everyone: Any, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 400, url
    assert b"number" in response.data


@pytest.mark.parametrize(
    "url",
    [f"/people/teams/{HUGE}", f"/notices/{HUGE}", f"/training/staff/{HUGE}"],
)
def test_an_out_of_range_number_in_a_path_is_not_found(
    client: Any, everyone: Any, url: str
) -> None:
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("raw", ["q=%00", "q=a%00b", "q=\udcff"])
@pytest.mark.parametrize("path", ["/admin/users", "/people/", "/sharing/organisations/"])
def test_unstorable_characters_in_a_query_string_are_a_400_page(
    client: Any, everyone: Any, path: str, raw: str
) -> None:
    environ = {"QUERY_STRING": raw.encode("utf-8", "surrogateescape").decode("latin-1")}
    response = client.get(path, environ_overrides=environ)
    assert response.status_code == 400
    assert b"cannot be stored" in response.data or b"could not be read" in response.data


def test_a_query_string_that_is_not_utf8_is_a_400_page(client: Any, everyone: Any) -> None:
    response = client.get("/people/", environ_overrides={"QUERY_STRING": "q=\xed\xa0\x80"})
    assert response.status_code == 400


def test_a_very_long_query_value_is_a_400_page(client: Any, everyone: Any) -> None:
    assert client.get("/people/", query_string={"q": "a" * 5000}).status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/training/?on=0001-01-01",
        "/training/?on=1&on=1&on=1",
        "/training/?on=1&on=1&on=99999999999999999999",
        "/training/team?on=1&on=1&on=1",
        "/training/evidence.csv?on=1&on=1&on=1",
    ],
)
def test_an_odd_as_at_date_is_not_a_server_error(client: Any, everyone: Any, url: str) -> None:
    assert client.get(url).status_code < 500


@pytest.mark.parametrize(
    "url",
    [
        "/training/?on=1&on=1&on=2101",
        "/audit/?date_from=1&date_from=1&date_from=2500",
    ],
)
def test_a_date_outside_1900_to_2100_is_refused(client: Any, everyone: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (200, 400, 422)
    assert b"between 1900 and 2100" in response.data


@pytest.mark.parametrize("version", ["\u00b2", "\u0661", "9" * 30, "-1"])
def test_a_version_that_is_not_a_plain_number_is_not_a_server_error(
    client: Any, db: Any, policies: Any, login_as: Any, version: str
) -> None:
    from tests.web.records import make_records

    arguments = make_records(db, policies).arguments
    login_as(*EVERY_ROLE)
    db.commit()
    details = {
        "version": version,
        "incident_type": "failure_to_redact",
        "cia": ["confidentiality"],
        "is_cyber": "no",
        "is_vulnerable": "no",
        "is_ongoing": "no",
    }
    response = client.post(f"/incidents/{arguments['ref']}/details", data=details)
    assert response.status_code < 500
    assessment = {"row_version": version, "recommendation": "Share"}
    response = client.post(f"/caldicott/requests/{arguments['reference']}/assess", data=assessment)
    assert response.status_code < 500


@pytest.mark.parametrize(
    "path", ["/incidents/\xed\xa0\x80", "/caldicott/requests/a\x00b", "/incidents/%00/details"]
)
def test_an_unreadable_record_reference_in_the_path_is_not_a_server_error(
    client: Any, everyone: Any, path: str
) -> None:
    response = client.get("/", environ_overrides={"PATH_INFO": path})
    assert 400 <= response.status_code < 500
