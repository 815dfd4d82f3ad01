"""Browser journey: one's API tokens on the account page, revoked by signing out everywhere."""

from __future__ import annotations

import datetime as dt

import pytest

from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.auth.service import get_user
from ig.db import utcnow
from tests.e2e.browser import BrowserPage
from tests.e2e.server import LiveServer

pytestmark = pytest.mark.e2e
DAY = dt.timedelta(days=1)


def row_text(page: BrowserPage, name: str) -> str:
    return page.page.locator("tr", has_text=name).inner_text()


def test_tokens_show_use_and_expiry_and_sign_out_everywhere_revokes_them(
    browser_page: BrowserPage, live_server: LiveServer
) -> None:
    user = live_server.create_user("staff")
    now = utcnow()
    with live_server.database.session_scope() as session:
        owner = get_user(session, user.id)
        _token, raw = tokens.create_token(session, SYSTEM, owner, "Reporting", now, days=30)
        tokens.find_user_by_token(session, raw, now)
        tokens.create_token(session, SYSTEM, owner, "Learning system", now, days=10)
        tokens.create_token(session, SYSTEM, owner, "Old export", now - 20 * DAY, days=5)
    browser_page.sign_in_quickly(user, "/account")  # axe-core checks the table

    assert "Never" not in row_text(browser_page, "Reporting")
    assert "Never" in row_text(browser_page, "Learning system")
    assert "Expired" in row_text(browser_page, "Old export")
    assert browser_page.page.get_by_role("button", name="Revoke token Old export").count() == 0

    browser_page.submit("Revoke token Learning system")
    assert "Revoked" in row_text(browser_page, "Learning system")
    assert "revoked by its owner" in row_text(browser_page, "Learning system")

    browser_page.submit("Sign out everywhere")
    assert "your API tokens are revoked" in browser_page.page.inner_text("main")
    with live_server.database.session_scope() as session:
        assert tokens.check_token(session, raw, utcnow()).refusal == "revoked"
    browser_page.sign_in(user)
    browser_page.goto("/account")
    assert "signed out everywhere" in row_text(browser_page, "Reporting")
    assert "revoked by its owner" in row_text(browser_page, "Learning system")
    assert "Expired" in row_text(browser_page, "Old export")
