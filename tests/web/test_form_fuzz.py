"""Every HTML form, sent hostile values, answers without a server error.

The forms are found, not listed: each page of the application (its routes filled in
with real records) is fetched as a user holding every role, and each form on it is
read as a browser would send it. Then every form is sent a fixed set of hostile values,
and hypothesis mixes further ones into single fields.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask, url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.web import records
from tests.web.html_forms import PageForm, read_forms

db = records.db
client = records.client

EVERY_ROLE = (
    "ig_officer",
    "caldicott_guardian",
    "siro",
    "auditor",
    "administrator",
    "manager",
)
Key = tuple[str, str]  # a form's method and action
# Forms that would end the signed-in session the rest of the test needs.
SIGNING_OUT = {"/sign-out", "/account/sign-out-everywhere"}
HOSTILE = [
    "\x00",
    "a\x00b",
    "\ud800",
    "\udfff tail",
    "\x1b[2J",
    "9" * 30,
    "-" + "9" * 30,
    "1e309",
    "0",
    "-1",
    "NaN",
    "x" * 120_000,
    "\u202e\u0644\u0627 \u05e9\u05dc\u05d5\u05dd",
    "e\u0301\u0301\u0301",
    "\ufeff",
    "0001-01-01",
    "9999-12-31",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\uff11\uff12\uff13",  # full-width digits
    "²",  # a digit to str.isdigit() that int() refuses
    "",
]
DATE_PARTS = [
    ["0", "0", "0"],
    ["31", "2", "2026"],
    ["1", "1", "1"],
    ["1", "1", "99999"],
    ["1", "13", "2026"],
    ["1", "1", "2101"],
]


def _encode(data: dict[str, list[str]]) -> bytes:
    """A form body as a browser would send it; unpaired surrogates as their UTF-8 bytes,
    which no browser sends but a client can."""
    pairs = [
        f"{quote(name, errors='surrogatepass')}={quote(value, errors='surrogatepass')}"
        for name, values in data.items()
        for value in values
    ]
    return "&".join(pairs).encode("ascii")


def _arguments(app: Flask, rule: Any, known: dict[str, Any]) -> dict[str, Any]:
    return {name: known.get(name, 1) for name in rule.arguments}


def _pages(app: Flask, known: dict[str, Any]) -> list[str]:
    """A URL for every page that can be fetched, its arguments from ``known``."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
                continue
            if rule.rule.startswith("/api") or rule.rule.endswith((".csv", ".json")):
                continue
            urls.append(url_for(rule.endpoint, **_arguments(app, rule, known)))
    return sorted(set(urls))


def _forms(client: Any, urls: list[str]) -> dict[Key, PageForm]:
    """Every form on those pages, one per (method, action)."""
    found: dict[Key, PageForm] = {}
    for url in urls:
        page = client.get(url)
        assert page.status_code < 500, url
        if page.status_code != 200 or page.mimetype != "text/html":
            continue
        for form in read_forms(page.get_data(as_text=True)):
            action = (form.action or url).split("#")[0]
            if action.split("?")[0] not in SIGNING_OUT and form.names:
                found.setdefault((form.method, action), form)
    return found


def _send(client: Any, method: str, action: str, form: PageForm, data: dict[str, list[str]]) -> Any:
    if method == "post":
        data = {**data, "csrf_token": form.fields.get("csrf_token", [""])}
        body = _encode(data)
        return client.post(
            action, data=body, content_type="application/x-www-form-urlencoded", csrf=False
        )
    query = _encode(data).decode("ascii")
    separator = "&" if "?" in action else "?"
    return client.get(f"{action}{separator}{query}")


def _hostile_data(form: PageForm, value: str) -> dict[str, list[str]]:
    data = form.data()
    for name in form.names:
        if name == "csrf_token":
            continue
        count = max(len(data.get(name, [])), 1)
        data[name] = [value] * count
    return data


@pytest.fixture
def forms(client: Any, db: Session, policies: Any, login_as: Any) -> dict[Key, PageForm]:
    found = records.make_records(db, policies)
    login_as(*EVERY_ROLE)
    return _forms(client, _pages(client.application, found.arguments))


def test_every_form_answers_hostile_values_without_a_server_error(
    client: Any, forms: dict[Key, PageForm]
) -> None:
    posts = {action for method, action in forms if method == "post"}
    assert len(posts) >= 40, sorted(posts)  # the walk found the forms
    assert any(action.endswith("/details") for action in posts)  # incident details
    assert any(action.endswith("/assess") for action in posts)  # a Caldicott assessment
    failures = []
    for (method, action), form in forms.items():
        for value in ("a\x00b", "\ud800", "9" * 30, "x" * 120_000, "\uff19" * 25):
            response = _send(client, method, action, form, _hostile_data(form, value))
            if response.status_code >= 500:
                failures.append((action, repr(value[:20]), response.status_code))
    assert failures == []


def test_hypothesis_mixes_hostile_values_into_every_form(
    client: Any, forms: dict[Key, PageForm]
) -> None:
    chosen = sorted(forms)
    values = st.one_of(
        st.sampled_from(HOSTILE),
        st.text(max_size=40),
        st.integers().map(str),
        st.integers(min_value=2**63 - 2, max_value=2**70).map(str),
    )

    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(key=st.sampled_from(chosen), picks=st.data())
    def one(key: tuple[str, str], picks: Any) -> None:
        method, action = key
        form = forms[key]
        data = form.data()
        for name in form.names:
            if name == "csrf_token" or not picks.draw(st.booleans()):
                continue
            if len(data.get(name, [])) == 3:
                data[name] = picks.draw(st.sampled_from(DATE_PARTS))
            else:
                data[name] = [picks.draw(values)]
        response = _send(client, method, action, form, data)
        assert response.status_code < 500, (action, data)

    one()
