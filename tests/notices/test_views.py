"""The privacy-notice pages: who may see them, adding, reviewing, filtering and exporting."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from ig.notices.models import PrivacyNotice
from tests.factories import make_notice
from tests.queries import statements_for_get

NEW_NOTICE = {
    "title": "Carers' service privacy notice",
    "service_key": "carers",
    "published_url": "https://eastmere.example/privacy/carers",
    "audience": "public",
    "processing": "Carers' assessments and support",
    "text": "We use your information to support you as a carer.",
    "effective_on": ["1", "4", "2026"],
    "approved_by": "Data Protection Officer",
}


def test_register_needs_sign_in_and_permission(client, login_as):
    assert client.get("/notices/").status_code == 302
    login_as("staff")
    assert client.get("/notices/").status_code == 403


def test_register_lists_and_filters(client, login_as, db):
    login_as("manager")
    make_notice(db, title="Housing notice", service_key="housing")
    make_notice(db, title="Carers notice", service_key="carers")
    page = client.get("/notices/?service=carers&state=&owner=&sort=title")
    assert page.status_code == 200
    assert b"Carers notice" in page.data
    assert b"Housing notice" not in page.data


def test_register_ignores_a_bad_filter_value(client, login_as, db):
    login_as("manager")
    make_notice(db, title="Housing notice", service_key="housing")
    page = client.get("/notices/?state=nonsense")
    assert page.status_code == 200
    assert b"Housing notice" in page.data


def test_register_makes_no_query_per_row(client, login_as, db, engine):
    login_as("ig_officer")
    for number in range(3):
        make_notice(db, title=f"Notice {number}")
    client.get("/notices/")
    few = statements_for_get(engine, client, "/notices/", selects_only=True)
    for number in range(3, 10):
        make_notice(db, title=f"Notice {number}")
    many = statements_for_get(engine, client, "/notices/", selects_only=True)
    assert many <= few  # seven more rows, no more queries


def test_csv_export(client, login_as, db):
    login_as("auditor")
    make_notice(db, title="Housing notice", service_key="housing")
    response = client.get("/notices/export.csv?service=housing")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "Housing notice" in response.get_data(as_text=True)


def test_add_a_notice(client, login_as, db):
    user = login_as("ig_officer")
    response = client.post("/notices/new", data={**NEW_NOTICE, "owner_user_id": str(user.id)})
    assert response.status_code == 302, response.data
    notice = db.scalar(select(PrivacyNotice).where(PrivacyNotice.title == NEW_NOTICE["title"]))
    assert notice.next_review_on == dt.date(2027, 4, 1)
    assert client.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, b"Enter the notice"),
        ({"published_url": "not-a-url"}, b"Enter the address"),
        ({"effective_on": ["1", "13", "2026"]}, b"Not a valid date"),
    ],
)
def test_add_refuses_bad_input(client, login_as, db, change, message):
    user = login_as("ig_officer")
    processing = f"Refused case {message!r}"
    response = client.post(
        "/notices/new",
        data={**NEW_NOTICE, "owner_user_id": str(user.id), "processing": processing, **change},
    )
    assert response.status_code == 422
    assert message in response.data
    assert db.scalar(select(PrivacyNotice).where(PrivacyNotice.processing == processing)) is None


def test_add_needs_manage_permission(client, login_as):
    login_as("manager")
    assert client.get("/notices/new").status_code == 403


def test_add_without_csrf_is_refused(client, login_as):
    user = login_as("ig_officer")
    response = client.post(
        "/notices/new", csrf=False, data={**NEW_NOTICE, "owner_user_id": str(user.id)}
    )
    assert response.status_code in (400, 422)


def reload(db, notice):
    db.expire_all()
    return db.get(PrivacyNotice, notice.id)


def review_data(notice, **change):
    return {
        "version": str(notice.version),
        "reviewed_on": ["20", "11", "2026"],
        "outcome": "no_change",
        **change,
    }


def test_owner_reviews_their_notice(client, login_as, db):
    owner = login_as("manager")
    notice = make_notice(db, owner=owner)
    assert client.get(f"/notices/{notice.id}/review").status_code == 200
    response = client.post(f"/notices/{notice.id}/review", data=review_data(notice))
    assert response.status_code == 302
    assert reload(db, notice).last_reviewed_on == dt.date(2026, 11, 20)


def test_review_with_update_needs_the_new_text(client, login_as, db):
    login_as("ig_officer")
    notice = make_notice(db)
    response = client.post(
        f"/notices/{notice.id}/review",
        data=review_data(notice, outcome="updated", summary="New partner"),
    )
    assert response.status_code == 422
    assert b"new version" in response.data
    assert reload(db, notice).current_version == 1


def test_another_manager_cannot_review(client, login_as, db):
    login_as("manager")
    notice = make_notice(db)
    assert client.get(f"/notices/{notice.id}").status_code == 200
    assert client.get(f"/notices/{notice.id}/review").status_code == 403
    assert client.post(f"/notices/{notice.id}/review", data=review_data(notice)).status_code == 403


def test_unknown_notice_is_404(client, login_as):
    login_as("ig_officer")
    assert client.get("/notices/999999").status_code == 404
