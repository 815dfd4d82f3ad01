"""Every edit form answers a stale edit with the 409 conflict page, never a server error.

Two ways to be stale: the form was loaded before someone else saved (its version is
old), or someone else saves between this request's check and its UPDATE (the UPDATE
matches no row). The second used to fail as a 500, because the conflict page was built
on the session the failed flush had left unusable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from ig.db import Versioned
from tests import factories
from tests.web import records
from tests.web.html_forms import PageForm, post_forms

# The application's session class, and set-up committed before each request.
db = records.db
client = records.client

CONFLICT = b"Someone else changed this record"
EDITOR_ROLES = ("ig_officer", "administrator", "caldicott_guardian")


@dataclass(frozen=True)
class Edit:
    """An edit form: the page showing it, where it posts, and a change to make."""

    page: str
    action: str
    record: Versioned
    changes: dict[str, Any]


def _user(db: Session, policies: Any) -> Edit:
    user = factories.make_user(db, name="Kim Editable")
    url = f"/admin/users/{user.id}"
    return Edit(url, url, user, {"name": "Kim Edited", "roles": ["staff"]})


def _deactivate(db: Session, policies: Any) -> Edit:
    user = factories.make_user(db)
    return Edit(f"/admin/users/{user.id}", f"/admin/users/{user.id}/active", user, {})


def _password(db: Session, policies: Any) -> Edit:
    user = factories.make_user(db)
    url = f"/admin/users/{user.id}/password"
    return Edit(url, url, user, {"password": "a fresh long passphrase 7713"})


def _rename_team(db: Session, policies: Any) -> Edit:
    team = factories.make_team(db, name="Old name")
    url = f"/people/teams/{team.id}/rename"
    return Edit(url, url, team, {"name": "New name"})


def _move_team(db: Session, policies: Any) -> Edit:
    top = factories.make_team(db, name="Top")
    team = factories.make_team(db, name="Moving")
    url = f"/people/teams/{team.id}/move"
    return Edit(url, url, team, {"parent_name": "Top", "parent_id": str(top.id)})


def _notice(db: Session, policies: Any) -> Edit:
    notice = factories.make_notice(db)
    url = f"/notices/{notice.id}/edit"
    return Edit(url, url, notice, {"title": "Renamed notice"})


def _review(db: Session, policies: Any) -> Edit:
    notice = factories.make_notice(db)
    url = f"/notices/{notice.id}/review"
    return Edit(url, url, notice, {"reviewed_on": ["1", "12", "2026"]})


def _organisation(db: Session, policies: Any) -> Edit:
    organisation = factories.make_organisation(db, name="Partner Ltd")
    url = f"/sharing/organisations/{organisation.id}/edit"
    return Edit(url, url, organisation, {"name": "Partner Renamed Ltd"})


def _agreement(db: Session, policies: Any) -> Edit:
    owner = factories.make_organisation(db)
    partner = factories.make_organisation(db)
    agreement = factories.make_sharing_agreement(db, policies.sharing, owner, [partner], signed=0)
    url = f"/sharing/agreements/{agreement.id}/edit"
    return Edit(url, url, agreement, {"title": "Retitled agreement"})


def _incident(db: Session, policies: Any) -> Edit:
    from ig.auth.service import actor_for
    from tests.incidents.conftest import report

    reporter = actor_for(factories.make_user(db, roles=("staff",)), policies)
    incident = report(db, reporter, policies.incidents, factories.make_team(db))
    url = f"/incidents/{incident.reference}/details"
    changes = {
        "incident_type": "failure_to_redact",
        "cia": ["confidentiality"],
        "containment": "Recalled the letter",
    }
    return Edit(url, url, incident, changes)


EDITS: dict[str, Callable[[Session, Any], Edit]] = {
    "user": _user,
    "user active": _deactivate,
    "user password": _password,
    "team name": _rename_team,
    "team parent": _move_team,
    "notice": _notice,
    "notice review": _review,
    "organisation": _organisation,
    "agreement": _agreement,
    "incident details": _incident,
}


def _form(client: Any, edit: Edit) -> PageForm:
    page = client.get(edit.page)
    assert page.status_code == 200, edit.page
    forms = [
        form
        for form in post_forms(page.get_data(as_text=True))
        if (form.action or edit.page).split("?")[0].endswith(edit.action)
    ]
    assert forms, f"no form posting to {edit.action} on {edit.page}"
    return forms[0]


def _version_field(form: PageForm) -> str:
    return next(name for name in ("version", "row_version") if name in form.fields)


def errors(response: Any) -> list[str]:
    """The error messages on a page, to say why a form was refused."""
    page = response.get_data(as_text=True)
    found = re.findall(r'class="govuk-error-message"[^>]*>(.*?)</p>', page, re.S)
    return [" ".join(re.sub("<[^>]+>", " ", message).split()) for message in found]


@pytest.fixture
def editor(login_as: Any) -> Any:
    return login_as(*EDITOR_ROLES)


@pytest.mark.parametrize("kind", EDITS)
def test_a_form_loaded_before_someone_else_saved_is_a_409(
    client: Any, db: Session, policies: Any, editor: Any, kind: str
) -> None:
    edit = EDITS[kind](db, policies)
    form = _form(client, edit)
    field = _version_field(form)
    older = str(int(form.fields[field][0]) - 1)
    response = client.post(edit.action, data=form.data(**edit.changes, **{field: older}))
    assert response.status_code == 409, errors(response)
    assert CONFLICT in response.data


@pytest.mark.parametrize("kind", EDITS)
def test_someone_saving_between_the_check_and_the_update_is_a_409(
    client: Any, db: Session, policies: Any, editor: Any, kind: str
) -> None:
    edit = EDITS[kind](db, policies)
    form = _form(client, edit)
    target = (type(edit.record), edit.record.id)  # type: ignore[attr-defined]
    table = type(edit.record).__table__.name  # type: ignore[attr-defined]
    saved_meanwhile: list[bool] = []

    @event.listens_for(db, "before_flush")
    def someone_else_saves(session: Session, *_: Any) -> None:
        # The moment this request is about to write the record, another person's save
        # of it lands: the version moves on underneath.
        dirty = {(type(obj), getattr(obj, "id", None)) for obj in session.dirty}
        if target in dirty and not saved_meanwhile:
            saved_meanwhile.append(True)
            session.connection().execute(
                text(f"UPDATE {table} SET version = version + 1 WHERE id = :id"),
                {"id": target[1]},
            )

    try:
        response = client.post(edit.action, data=form.data(**edit.changes))
    finally:
        event.remove(db, "before_flush", someone_else_saves)
    assert saved_meanwhile, f"the edit never wrote the record: {errors(response)}"
    assert response.status_code == 409
    assert CONFLICT in response.data
