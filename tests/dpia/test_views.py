"""The DPIA pages: permissions per role, CSRF, forms and their errors, the CSV, queries."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from ig.auth.rules import Actor
from ig.dpia import service
from ig.dpia.models import Dpia, Status
from tests.dpia.conftest import HIGH, LOW, OFFICER_PERMISSIONS, audit_actions, make_dpia
from tests.queries import statements_for_get


def as_officer(user):
    return Actor(user.id, user.email, frozenset({"ig_officer"}), OFFICER_PERMISSIONS)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 403),
        ("manager", 403),
        ("administrator", 403),
        ("auditor", 200),
        ("siro", 200),
        ("ig_officer", 200),
    ],
)
def test_register_permissions_per_role(client, login_as, role, status):
    assert client.get("/dpias/").status_code == 302  # signed out: to the sign-in page
    login_as(role)
    assert client.get("/dpias/").status_code == status


@pytest.mark.parametrize("role", ["auditor", "siro"])
def test_only_the_ig_team_starts_dpias(client, login_as, role):
    login_as(role)
    assert client.get("/dpias/new").status_code == 403
    assert client.post("/dpias/new", data={"title": "X"}).status_code == 403


def test_start_a_dpia_with_clear_errors_then_for_real(client, login_as, db):
    user = login_as("ig_officer")
    page = client.post("/dpias/new", data={"title": "", "owner_user_id": str(user.id)})
    assert page.status_code == 422
    assert b"Enter the DPIA&#39;s title" in page.data
    assert db.scalar(select(Dpia)) is None
    response = client.post(
        "/dpias/new",
        data={"title": "AI notes", "description": "Recording visits", "owner_user_id": user.id},
    )
    assert response.status_code == 302
    shown = client.get(response.headers["Location"])
    assert b"Recording visits" in shown.data
    dpia = db.scalar(select(Dpia))
    assert audit_actions(db, dpia.id) == ["dpia.created", "dpia.detail_viewed"]


def test_forms_need_the_csrf_token(client, login_as, db):
    user = login_as("ig_officer")
    data = {"title": "AI notes", "description": "Recording", "owner_user_id": user.id}
    assert client.post("/dpias/new", data=data, csrf=False).status_code in (400, 422)
    assert db.scalar(select(Dpia)) is None


def test_screen_and_add_a_risk_through_the_pages(client, login_as, db, policies):
    user = login_as("ig_officer")
    dpia = service.create_dpia(
        db, as_officer(user), service.DpiaInput("T", "D", user.id), dt.datetime.now(dt.UTC)
    )
    screened = client.post(
        f"/dpias/{dpia.id}/screening",
        data={"version": 1, "criteria": ["biometrics", "tracking"]},
    )
    assert screened.status_code == 302
    risk = {
        "version": 2,
        "description": "Voices recorded",
        "likelihood": 3,
        "severity": 3,
        "measures": "Headsets",
        "residual_likelihood": 9,
        "residual_severity": 3,
    }
    assert client.post(f"/dpias/{dpia.id}/risks/new", data=risk).status_code == 422
    risk["residual_likelihood"] = 3
    assert client.post(f"/dpias/{dpia.id}/risks/new", data=risk).status_code == 302
    page = client.get(f"/dpias/{dpia.id}")
    assert b"DPIA required" in page.data
    assert b"Residual risk grid" in page.data
    assert b"record the ICO prior-consultation decision" in page.data


def test_stale_version_is_refused(client, login_as, db, policies):
    user = login_as("ig_officer")
    dpia_id = make_dpia(db, policies.dpia, as_officer(user))
    response = client.post(f"/dpias/{dpia_id}/screening", data={"version": 1, "criteria": []})
    assert response.status_code == 409


def test_siro_sees_the_sign_off_error_then_signs_off(client, login_as, db, policies):
    author = login_as("ig_officer")
    dpia_id = make_dpia(db, policies.dpia, as_officer(author), risks=(HIGH,), submit=True)
    assert client.get(f"/dpias/{dpia_id}/sign-off").status_code == 403  # the author
    login_as("siro")
    version = service.get_dpia(db, dpia_id).version
    refused = client.post(f"/dpias/{dpia_id}/sign-off", data={"version": version})
    assert refused.status_code == 422
    assert b"cannot be signed off until the ICO prior-consultation decision" in refused.data
    assert service.get_dpia(db, dpia_id).status is Status.AWAITING_SIGN_OFF
    ico = {
        "version": version,
        "decision": "consulted",
        "consulted_on": ["1", "11", "2026"],
        "reference": "ICO/PC/1",
        "notes": "",
    }
    assert client.post(f"/dpias/{dpia_id}/ico", data=ico).status_code == 302
    signed = client.post(f"/dpias/{dpia_id}/sign-off", data={"version": version + 1})
    assert signed.status_code == 302
    assert service.get_dpia(db, dpia_id).status is Status.SIGNED_OFF


def test_auditor_reads_but_cannot_record_the_ico_decision(client, login_as, db, policies):
    author = login_as("ig_officer")
    dpia_id = make_dpia(db, policies.dpia, as_officer(author), risks=(LOW,))
    login_as("auditor")
    assert client.get(f"/dpias/{dpia_id}").status_code == 200
    assert client.get(f"/dpias/{dpia_id}/ico").status_code == 403
    assert client.get(f"/dpias/{dpia_id}/sign-off").status_code == 403


def test_csv_export(client, login_as, db, policies):
    author = login_as("ig_officer")
    make_dpia(db, policies.dpia, as_officer(author), title="=Risky title", risks=(HIGH,))
    login_as("auditor")
    response = client.get("/dpias/export.csv?residual=high")
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert "'=Risky title" in body
    assert "Recording visits" not in body  # no encrypted field in the export


def test_register_filters_and_ignores_bad_values(client, login_as, db, policies):
    author = login_as("ig_officer")
    make_dpia(db, policies.dpia, as_officer(author), title="High DPIA", risks=(HIGH,))
    make_dpia(db, policies.dpia, as_officer(author), title="Low DPIA", risks=(LOW,))
    page = client.get("/dpias/?residual=high&status=&overdue=&sort=title")
    assert b"High DPIA" in page.data
    assert b"Low DPIA" not in page.data
    assert b"Low DPIA" in client.get("/dpias/?residual=nonsense").data


def test_the_register_puts_what_needs_someone_first(client, login_as, db, policies):
    """By default: overdue reviews, then DPIAs awaiting sign-off, then the highest
    residual risk; whatever was changed last."""
    author = as_officer(login_as("ig_officer"))
    # Made in an order that neither the last change nor the title would give.
    overdue = make_dpia(db, policies.dpia, author, title="Alpha overdue", risks=(LOW,))
    make_dpia(db, policies.dpia, author, title="Beta waiting", risks=(LOW,), submit=True)
    make_dpia(db, policies.dpia, author, title="Delta low", risks=(LOW,))
    make_dpia(db, policies.dpia, author, title="Gamma high", risks=(HIGH,))
    db.execute(
        update(Dpia)
        .where(Dpia.id == overdue)
        .values(status=Status.SIGNED_OFF, review_on=dt.date(2020, 1, 1))
    )
    page = client.get("/dpias/").get_data(as_text=True)
    order = ["Alpha overdue", "Beta waiting", "Gamma high", "Delta low"]
    assert sorted(order, key=page.index) == order
    by_title = client.get("/dpias/?sort=title").get_data(as_text=True)
    assert by_title.index("Delta low") < by_title.index("Gamma high")


def test_register_makes_no_query_per_row(client, login_as, db, engine, policies):
    author = as_officer(login_as("ig_officer"))
    for number in range(3):
        make_dpia(db, policies.dpia, author, title=f"DPIA {number}", risks=(LOW,))
    client.get("/dpias/")
    few = statements_for_get(engine, client, "/dpias/", selects_only=True)
    for number in range(3, 10):
        make_dpia(db, policies.dpia, author, title=f"DPIA {number}", risks=(LOW,))
    many = statements_for_get(engine, client, "/dpias/", selects_only=True)
    assert many <= few


def test_the_agreement_page_lists_its_dpias(client, login_as, db, policies):
    from ig.dpia import links
    from tests.factories import make_organisation, make_sharing_agreement

    author = as_officer(login_as("ig_officer"))
    agreement = make_sharing_agreement(
        db, policies.sharing, make_organisation(db, name="Eastmere Council", is_self=True)
    )
    dpia_id = make_dpia(db, policies.dpia, author, title="Linked DPIA")
    links.link_agreement(db, author, dpia_id, agreement.reference, dt.datetime.now(dt.UTC))
    page = client.get(f"/sharing/agreements/{agreement.id}")
    assert b"Linked DPIA" in page.data
    assert agreement.reference.encode() in client.get(f"/dpias/{dpia_id}").data


def test_the_owner_is_typed_into_a_picker_never_chosen_from_every_user(client, login_as, db):
    from sqlalchemy import func, insert

    from ig.auth.models import User
    from tests.factories import make_user

    db.execute(
        insert(User),
        [
            {"email": f"bulk{i}@council.test", "name": f"Bulk User {i:04d}", "password_hash": "x"}
            for i in range(300)
        ],
    )
    officer = login_as("ig_officer")
    page = client.get("/dpias/new").get_data(as_text=True)
    assert "Bulk User" not in page
    assert f'<input type="hidden" name="owner_user_id" value="{officer.id}">' in page  # the author
    nadia = make_user(db, name="Nadia Owner")
    data = {"title": "AI notes", "description": "Recording visits", "owner_name": "nadia owner"}
    assert client.post("/dpias/new", data=data).status_code == 302
    assert db.scalar(select(Dpia.owner_user_id).order_by(Dpia.id.desc()).limit(1)) == nadia.id
    before = db.scalar(select(func.count()).select_from(Dpia))
    unknown = client.post("/dpias/new", data={**data, "owner_name": "Nobody Known"})
    assert unknown.status_code == 422
    assert "No person matches \u201cNobody Known\u201d" in unknown.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Dpia)) == before
    assert client.get("/dpias/people/search?q=nadia").status_code == 200
    login_as("auditor")
    assert client.get("/dpias/people/search?q=nadia").status_code == 403
