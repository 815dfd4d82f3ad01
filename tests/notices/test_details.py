"""Changing a notice's details: the IG team only, audited by field, never silently over
someone else's change."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from ig.audit.models import AuditEntry
from ig.auth.rules import Actor
from ig.errors import EditConflict, PermissionDenied, ValidationFailed
from ig.notices.details import NoticeDetails, update_notice
from ig.notices.models import Audience, PrivacyNotice
from tests.factories import make_notice, make_user

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
IG = Actor(None, "ig", frozenset(), frozenset({"notices.manage"}))


def details(notice, **change):
    values = {
        "title": notice.title,
        "owner_user_id": notice.owner_user_id,
        "published_url": notice.published_url,
        "audience": notice.audience,
        "processing": notice.processing,
        **change,
    }
    return NoticeDetails(**values)


def test_update_changes_the_fields_and_audits_their_names(db):
    notice = make_notice(db)
    owner = make_user(db)
    update_notice(
        db,
        IG,
        notice.id,
        details(notice, owner_user_id=owner.id, audience=Audience.STAFF),
        notice.version,
        NOW,
    )
    assert (notice.owner_user_id, notice.audience) == (owner.id, Audience.STAFF)
    entry = db.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "notice.updated", AuditEntry.record_id == str(notice.id)
        )
    )
    assert entry.detail == {"fields": ["owner_user_id", "audience"]}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": " "}, "title"),
        ({"owner_user_id": 999999}, "owner_user_id"),
        ({"published_url": "ftp://x"}, "published_url"),
    ],
)
def test_update_refuses_bad_input(db, change, field):
    notice = make_notice(db)
    with pytest.raises(ValidationFailed) as failed:
        update_notice(db, IG, notice.id, details(notice, **change), notice.version, NOW)
    assert failed.value.field == field


def test_update_needs_the_ig_team_and_a_current_form(db):
    notice = make_notice(db)
    with pytest.raises(PermissionDenied):
        update_notice(
            db,
            Actor(None, "x", frozenset(), frozenset({"notices.read"})),
            notice.id,
            details(notice),
            notice.version,
            NOW,
        )
    with pytest.raises(EditConflict):
        update_notice(db, IG, notice.id, details(notice, title="New"), notice.version - 1, NOW)


def test_edit_page(client, login_as, db):
    login_as("ig_officer")
    notice = make_notice(db)
    assert client.get(f"/notices/{notice.id}/edit").status_code == 200
    data = {
        "version": str(notice.version),
        "title": "Renamed notice",
        "owner_user_id": str(notice.owner_user_id),
        "published_url": notice.published_url,
        "audience": "staff",
        "processing": notice.processing,
    }
    assert client.post(f"/notices/{notice.id}/edit", data=data).status_code == 302
    db.expire_all()
    assert db.get(PrivacyNotice, notice.id).title == "Renamed notice"
    bad = client.post(f"/notices/{notice.id}/edit", data={**data, "title": ""})
    assert bad.status_code == 422


def test_edit_page_is_for_the_ig_team(client, login_as, db):
    assert client.get("/notices/1/edit").status_code == 302
    login_as("manager")
    notice = make_notice(db)
    assert client.get(f"/notices/{notice.id}/edit").status_code == 403
