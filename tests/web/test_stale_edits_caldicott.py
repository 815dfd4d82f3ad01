"""The Caldicott forms that carry a version answer a stale edit with the 409 conflict page.

The assessment (the IG officer's) and the decision (the Guardian's sign-off) each carry
the open version's ``row_version``. Whoever saved in between, and however (a new
assessment, a re-assessment, a signature), the second person sees the conflict page and
nothing of theirs is written: not the decision, not the request, not the audit trail.
The amendment form carries no version: it opens a new one and is covered elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from ig.audit.models import AuditEntry
from ig.auth.rules import Actor
from ig.auth.service import actor_for
from ig.caldicott.models import CaldicottDecision, CaldicottRequest
from ig.caldicott.service import get_request
from tests import factories
from tests.caldicott.conftest import assess, sign
from tests.web import records
from tests.web.html_forms import PageForm, post_forms
from tests.web.test_stale_edits import CONFLICT, errors

db = records.db
client = records.client

# The test's own eyes on what is stored.
READER = Actor(user_id=None, label="test", permissions=frozenset({"caldicott.read"}))


@dataclass(frozen=True)
class Form:
    """A Caldicott form: its address, and what a person changes on it."""

    url: str
    changes: dict[str, str]


@pytest.fixture
def others(db: Session, policies: Any) -> dict[str, Any]:
    """The people who save in between: a raiser, an IG officer and a Guardian."""
    people = {
        role: factories.make_user(db, roles=(role,))
        for role in ("staff", "ig_officer", "caldicott_guardian")
    }
    return {role: (user, actor_for(user, policies)) for role, user in people.items()}


@pytest.fixture
def editor(login_as: Any) -> Any:
    """The person whose edit is stale: an IG officer who is also a Guardian."""
    return login_as("ig_officer", "caldicott_guardian")


def _request(db: Session, others: dict[str, Any]) -> CaldicottRequest:
    return factories.make_caldicott_request(db, others["staff"][0])  # type: ignore[no-any-return]


def _assessment(reference: str) -> Form:
    """A complete assessment, so that it is valid whether or not the form was prefilled."""
    changes = {
        "article6": "e_public_task",
        "article9": "not_applicable",
        "article10": "crime_prevention",
        "confidentiality_basis": "statutory_gateway",
        "recommended_outcome": "approved",
        "recommendation": "Mine: approve it",
    }
    return Form(f"/caldicott/requests/{reference}/assess", changes)


def _decision(reference: str) -> Form:
    changes = {
        "outcome": "declined",
        "reasons": "Mine: not necessary",
        "conditions": "",
        "password": factories.PASSWORD,
    }
    return Form(f"/caldicott/requests/{reference}/decide", changes)


def _load(client: Any, form: Form) -> PageForm:
    page = client.get(form.url)
    assert page.status_code == 200, form.url
    found = [f for f in post_forms(page.get_data(as_text=True)) if f.action in ("", form.url)]
    assert found, f"no form posting to {form.url}"
    assert "row_version" in found[0].fields, "the form carries no version"
    return found[0]


def _data(page: PageForm, form: Form) -> dict[str, list[str]]:
    """What the person sends: the page's values, their changes, and any empty principle noted."""
    notes = {
        name: "Met"
        for name in page.names
        if name.startswith("principle_") and not "".join(page.fields.get(name, []))
    }
    return page.data(**notes, **form.changes)


def _fresh(db: Session, request: CaldicottRequest) -> CaldicottRequest:
    """The request as stored, loaded as the views load it (a lazy load mid-signature
    would autoflush the half-signed version, which the signed-is-final guard refuses)."""
    db.expire_all()
    return get_request(db, READER, request.reference)


def _state(db: Session, request: CaldicottRequest) -> tuple[Any, ...]:
    """Everything the forms could change: every version, the request, the audit trail."""
    stored = _fresh(db, request)
    versions = db.scalars(
        select(CaldicottDecision)
        .where(CaldicottDecision.request_id == request.id)
        .order_by(CaldicottDecision.number)
    ).all()
    return (
        [
            (v.number, v.version, v.recommendation, v.outcome, v.reasons, v.signed_at, v.digest)
            for v in versions
        ],
        (stored.version, stored.status, stored.outcome, stored.decided_at, stored.signed_number),
        db.scalar(select(func.count()).select_from(AuditEntry)),
        db.scalar(select(func.max(AuditEntry.id))),
    )


# Each case: make the request, name the form, let someone else save after it loaded.
Case = tuple[
    Callable[[Session, Any, dict[str, Any]], CaldicottRequest],
    Callable[[str], Form],
    Callable[[Session, Any, dict[str, Any], CaldicottRequest], Any],
]


def _unassessed(db: Session, policy: Any, others: dict[str, Any]) -> CaldicottRequest:
    return _request(db, others)


def _assessed(db: Session, policy: Any, others: dict[str, Any]) -> CaldicottRequest:
    request = _request(db, others)
    assess(db, policy, others["ig_officer"][1], request)
    return request


def _someone_assesses(db: Session, policy: Any, others: dict[str, Any], request: Any) -> None:
    assess(db, policy, others["ig_officer"][1], request, recommendation="Theirs: decline")


def _guardian_signs(db: Session, policy: Any, others: dict[str, Any], request: Any) -> None:
    sign(db, policy, others["caldicott_guardian"], request)


CASES: dict[str, Case] = {
    "assessment, first made by someone else": (_unassessed, _assessment, _someone_assesses),
    "assessment, re-saved by someone else": (_assessed, _assessment, _someone_assesses),
    "assessment, signed by the Guardian": (_assessed, _assessment, _guardian_signs),
    "decision, assessment re-saved": (_assessed, _decision, _someone_assesses),
    "decision, signed by another Guardian": (_assessed, _decision, _guardian_signs),
}


@pytest.mark.parametrize("kind", CASES)
def test_a_caldicott_form_loaded_before_someone_else_saved_is_a_409(
    client: Any, db: Session, policies: Any, others: Any, editor: Any, kind: str
) -> None:
    make, form_of, someone_saves = CASES[kind]
    request = make(db, policies.caldicott, others)
    form = form_of(request.reference)
    page = _load(client, form)
    # The page's request closed the session: the objects set up before it are detached.
    request = _fresh(db, request)
    someone_saves(db, policies.caldicott, others, request)
    db.commit()
    before = _state(db, request)
    response = client.post(form.url, data=_data(page, form))
    assert response.status_code == 409, errors(response)
    assert CONFLICT in response.data
    assert _state(db, request) == before


@pytest.mark.parametrize("make", [_unassessed, _assessed], ids=["first", "again"])
def test_an_assessment_with_the_current_version_is_saved(
    client: Any, db: Session, policies: Any, others: Any, editor: Any, make: Any
) -> None:
    request = make(db, policies.caldicott, others)
    form = _assessment(request.reference)
    response = client.post(form.url, data=_data(_load(client, form), form))
    assert response.status_code == 302, errors(response)
    db.expire_all()
    draft = db.scalars(
        select(CaldicottDecision).where(CaldicottDecision.request_id == request.id)
    ).one()
    assert draft.recommendation == "Mine: approve it"


def test_a_decision_with_the_current_version_is_signed(
    client: Any, db: Session, policies: Any, others: Any, editor: Any
) -> None:
    request = _assessed(db, policies.caldicott, others)
    form = _decision(request.reference)
    response = client.post(form.url, data=_data(_load(client, form), form))
    assert response.status_code == 302, errors(response)
    db.expire_all()
    draft = db.scalars(
        select(CaldicottDecision).where(CaldicottDecision.request_id == request.id)
    ).one()
    assert (draft.reasons, draft.signed_at is not None) == ("Mine: not necessary", True)


@pytest.mark.parametrize("form_of", [_assessment, _decision], ids=["assessment", "decision"])
def test_someone_saving_between_the_check_and_the_update_is_a_409(
    client: Any, db: Session, policies: Any, others: Any, editor: Any, form_of: Any
) -> None:
    request = _assessed(db, policies.caldicott, others)
    form = form_of(request.reference)
    page = _load(client, form)
    before = _state(db, request)
    saved_meanwhile: list[bool] = []

    @event.listens_for(db, "before_flush")
    def someone_else_saves(session: Session, *_: Any) -> None:
        # As this request writes the open version, another person's save of it lands.
        if any(isinstance(obj, CaldicottDecision) for obj in session.dirty) and not saved_meanwhile:
            saved_meanwhile.append(True)
            session.connection().execute(
                text("UPDATE caldicott_decisions SET version = version + 1 WHERE request_id = :id"),
                {"id": request.id},
            )

    try:
        response = client.post(form.url, data=_data(page, form))
    finally:
        event.remove(db, "before_flush", someone_else_saves)
    assert saved_meanwhile, f"the form never wrote the version: {errors(response)}"
    assert response.status_code == 409
    assert CONFLICT in response.data
    assert _state(db, request) == before


def _amend_in_another_tab(client: Any, reference: str) -> None:
    """The Guardian's signature lands, then an amendment is started through its form."""
    url = f"/caldicott/requests/{reference}/amend"
    page = _load_form(client, url)
    response = client.post(url, data=page.data(reason="Theirs: the purpose changed"))
    assert response.status_code == 302, errors(response)


def _load_form(client: Any, url: str) -> PageForm:
    page = client.get(url)
    assert page.status_code == 200, url
    return next(f for f in post_forms(page.get_data(as_text=True)) if f.action in ("", url))


@pytest.mark.parametrize("form_of", [_assessment, _decision], ids=["assessment", "decision"])
def test_a_form_from_a_version_since_signed_and_amended_does_not_edit_the_amendment(
    client: Any, db: Session, policies: Any, others: Any, editor: Any, form_of: Any
) -> None:
    # The amendment is a new version whose row starts afresh: a form loaded from the
    # version it supersedes must not match it, or the Guardian would sign an amendment
    # they never saw (or the officer overwrite it unseen).
    request = _assessed(db, policies.caldicott, others)
    form = form_of(request.reference)
    page = _load(client, form)
    _guardian_signs(db, policies.caldicott, others, _fresh(db, request))
    db.commit()
    _amend_in_another_tab(client, request.reference)
    before = _state(db, request)
    response = client.post(form.url, data=_data(page, form))
    assert response.status_code == 409, errors(response)
    assert CONFLICT in response.data
    assert _state(db, request) == before


def test_an_amendment_loaded_afresh_is_assessed_and_signed(
    client: Any, db: Session, policies: Any, others: Any, editor: Any
) -> None:
    request = _assessed(db, policies.caldicott, others)
    _guardian_signs(db, policies.caldicott, others, _fresh(db, request))
    db.commit()
    _amend_in_another_tab(client, request.reference)
    superseded, amendment = _fresh(db, request).versions
    assert amendment.version == superseded.version + 1  # the row count goes on
    for form in (_assessment(request.reference), _decision(request.reference)):
        response = client.post(form.url, data=_data(_load(client, form), form))
        assert response.status_code == 302, errors(response)
    signed = _fresh(db, request)
    assert (signed.signed_number, signed.versions[-1].reasons) == (2, "Mine: not necessary")
