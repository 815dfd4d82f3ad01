"""Training pages: anonymous, wrong role, happy path, invalid input, scoping, query counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from ig.db import london_today
from ig.people.models import Staff
from ig.training import service
from tests.factories import make_completion, make_staff
from tests.queries import statements_for_get


def sign_in_manager(client, org, db):
    from ig.auth import service
    from ig.db import utcnow

    new = service.start_session(db, org.manager, "pytest", utcnow())
    new.row.is_two_factor_done = True
    db.flush()
    with client.session_transaction() as session:
        session["_user_id"] = new.token
        session["_fresh"] = True
    db.commit()  # past the session's savepoint, so it outlives each request's rollback


@pytest.mark.parametrize(
    "url",
    [
        "/training/",
        "/training/team",
        "/training/me",
        "/training/overdue",
        "/training/imports/new",
        "/training/evidence.csv",
        "/training/team.csv",
        "/people/",
        "/people/teams",
    ],
)
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize(
    "url",
    [
        "/training/",
        "/training/team",
        "/training/overdue",
        "/training/imports/new",
        "/training/evidence.csv",
        "/training/team.csv",
        "/training/completions/new",
        "/people/",
        "/people/imports/new",
    ],
)
def test_staff_role_is_refused(client, login_as, db, url):
    login_as("staff")
    db.commit()
    assert client.get(url).status_code == 403


def test_manager_sees_only_their_teams(client, db, org):
    sign_in_manager(client, org, db)
    page = client.get("/training/team")
    assert page.status_code == 200, page.data
    assert b"Alice Adams" in page.data
    assert b"Bob Brown" in page.data  # a team below the one they manage
    assert b"Carol Clark" not in page.data


def needs_action_table(html: str) -> str:
    start = html.index('data-testid="needs-action"')
    return html[start : html.index("</table>", start)]


def up_to_date_section(html: str) -> str:
    start = html.index('data-testid="up-to-date"')
    return html[start : html.index("</details>", start)]


def test_manager_filters_overdue(client, db, org):
    sign_in_manager(client, org, db)
    page = client.get("/training/team?status=overdue").get_data(as_text=True)
    assert "Bob Brown" in needs_action_table(page)
    assert "Alice Adams" not in needs_action_table(page)
    page = client.get("/training/team?status=due_soon").get_data(as_text=True)
    assert "Bob Brown" not in needs_action_table(page)


def test_a_manager_of_no_team_is_told_how_to_get_one(client, db, login_as, org):
    login_as("manager")
    db.commit()
    html = client.get("/training/team").get_data(as_text=True)
    assert "You do not manage any teams yet" in html
    assert "Alice Adams" not in html


def test_a_search_that_finds_nobody_says_so(client, db, org):
    sign_in_manager(client, org, db)
    html = client.get("/training/team?q=nobody-at-all").get_data(as_text=True)
    assert "Nobody needs to act among the people matching" in html
    assert "0 people need no action now" in html
    assert "You do not manage any teams yet" not in html


def test_manager_page_leads_with_who_needs_action(client, db, org):
    today = dt.date.today()  # noqa: DTZ011 - the page shows today's list
    late = make_staff(db, org.adults, name="Lara Later")
    for code in ("DSA", "IGF", "CYB", "REC"):  # REC: everyone in Adult Social Care
        make_completion(db, late, code, today - dt.timedelta(days=60))
    make_completion(db, late, "DSA", today - dt.timedelta(days=375))  # not the latest: ignored
    soon = make_staff(db, org.adults, name="Sol Soon")
    for code in ("IGF", "CYB", "REC"):
        make_completion(db, soon, code, today - dt.timedelta(days=60))
    make_completion(db, soon, "DSA", today - dt.timedelta(days=355))
    db.commit()
    sign_in_manager(client, org, db)
    html = client.get("/training/team").get_data(as_text=True)
    table = needs_action_table(html)
    assert table.index("Bob Brown") < table.index("Sol Soon")  # overdue before due soon
    assert "overdue by" in table
    assert "due in 9 days, by" in table
    assert "Lara Later" not in table
    assert "Alice Adams" not in table
    calm = up_to_date_section(html)
    assert "2 people need no action now" in calm
    assert "Alice Adams" in calm
    assert "Lara Later" in calm
    assert "<details" in html
    assert " open" not in calm[:60]
    opened = client.get("/training/team?up_to_date_page=1").get_data(as_text=True)
    assert 'data-testid="up-to-date" open' in opened


def test_manager_cannot_open_another_teams_person_by_guessing(client, db, org):
    sign_in_manager(client, org, db)
    assert client.get(f"/training/staff/{org.bob.id}").status_code == 200
    # Last: the refusal ends the request's transaction, and with it this test's sign-in.
    assert client.get(f"/training/staff/{org.carol.id}").status_code == 404


def test_a_training_reminder_leads_the_person_to_their_own_record(client, db, org, login_as):
    user = login_as("staff")
    org.bob.user_id = user.id
    db.commit()  # past the savepoint, so that the sign-in outlives the first request
    response = client.get(f"/training/due/{org.bob.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/training/me")
    # Someone else's reminder link is refused like a wrong id, with nothing to hint at it.
    other = client.get(f"/training/due/{org.carol.id}")
    assert other.status_code == 404, other.headers.get("Location")


def test_a_training_reminder_leads_the_manager_to_the_persons_record(client, db, org):
    sign_in_manager(client, org, db)
    response = client.get(f"/training/due/{org.bob.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/training/staff/{org.bob.id}")
    assert client.get(f"/training/due/{org.carol.id}").status_code == 404


def test_manager_csv_holds_only_their_staff_and_is_formula_safe(client, db, org):
    make_staff(db, org.adults, name="=HYPERLINK(1)")
    sign_in_manager(client, org, db)
    response = client.get("/training/team.csv?status=overdue")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "Bob Brown" in text
    assert "Carol Clark" not in text
    assert "Alice Adams" not in text
    assert "'=HYPERLINK(1)" in text
    header = text.splitlines()[0]
    assert header == ("Staff number,Name,Team,Course,Status,Completed on,Expires on,Days overdue")
    everyone = client.get("/training/team.csv").get_data(as_text=True)
    assert "Alice Adams" in everyone
    assert "Carol Clark" not in everyone
    refused = client.get("/training/team.csv?status=nonsense").get_data(as_text=True)
    assert refused == everyone  # a filter it cannot read narrows nothing


def test_invalid_filter_shows_an_error(client, db, org):
    sign_in_manager(client, org, db)
    page = client.get("/training/team?status=nonsense")
    assert page.status_code == 200
    assert b"Not a valid choice" in page.data


def test_organisation_page_for_ig_officer(client, login_as, db, org):
    login_as("ig_officer")
    db.commit()
    page = client.get("/training/")
    assert page.status_code == 200, page.data
    text = page.get_data(as_text=True)
    assert "Training compliance" in text
    assert "Adult Social Care" in text
    assert "Children&#39;s Services" in text
    assert "ig-chart__bar--" in text
    assert "Compliance over the last 12 months (table)" in text


def test_organisation_page_as_at_a_past_date(client, login_as, db, org):
    login_as("ig_officer")
    db.commit()
    page = client.get("/training/?on=31&on=3&on=2026")
    assert page.status_code == 200
    assert b"As at 31 March 2026" in page.data


def test_organisation_page_invalid_date(client, login_as, db, org):
    login_as("ig_officer")
    db.commit()
    page = client.get("/training/?on=31&on=2&on=2026")
    assert b"must be a real date" in page.data


def test_overdue_list_shows_the_overdue_and_refuses_bad_filters(client, login_as, db, org):
    login_as("ig_officer")
    db.commit()
    text = client.get("/training/overdue").get_data(as_text=True)
    assert "Bob Brown" in text
    assert "Carol Clark" in text
    assert "Alice Adams" not in text  # every course done
    refused = client.get("/training/overdue?on=31&on=2&on=2026&basis=nonsense")
    assert refused.status_code == 200
    assert b"must be a real date" in refused.data
    assert b"Not a valid choice" in refused.data
    assert b"Bob Brown" not in refused.data  # never another day's list


def test_evidence_csv(client, login_as, db, org):
    login_as("ig_officer")
    db.commit()
    response = client.get("/training/evidence.csv")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Whole organisation,DSA,1,0,0,2,0,33.3,no" in text
    # Alice compliant and Bob (in the team below) overdue; Carol is another service's.
    assert "Adult Social Care,DSA,1,0,0,1,0,50.0,no" in text
    assert "Children's Services,DSA,0,0,0,1,0,0.0,no" in text


def test_my_training_unlinked_and_linked(client, login_as, db, org):
    user = login_as("staff")
    db.commit()
    assert b"not linked" in client.get("/training/me").data
    db.get(Staff, org.bob.id).user_id = user.id  # the fixture's objects left with request 1
    db.commit()
    page = client.get("/training/me")
    assert b"Your training" in page.data
    assert b"Overdue" in page.data


def test_record_completion_by_hand(client, login_as, db, org):
    login_as("ig_officer")
    db.commit()
    today = dt.date.today()  # noqa: DTZ011
    data = {
        "staff_number": org.bob.staff_number,
        "course_code": "DSA",
        "completed_on": [today.day, today.month, today.year],
    }
    response = client.post("/training/completions/new", data=data)
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert b"Completion recorded" in page.data


def test_record_completion_rejects_unknown_staff_and_future_date(client, login_as, db, org):
    login_as("ig_officer")
    db.commit()
    future = dt.date.today() + dt.timedelta(days=3)  # noqa: DTZ011
    data = {"staff_number": "NOPE", "course_code": "DSA", "completed_on": [1, 1, 2026]}
    response = client.post("/training/completions/new", data=data)
    assert response.status_code == 422
    assert b"No member of staff has the number" in response.data
    data |= {
        "staff_number": org.bob.staff_number,
        "completed_on": [future.day, future.month, future.year],
    }
    response = client.post("/training/completions/new", data=data)
    assert response.status_code == 422
    assert b"cannot be in the future" in response.data


def test_add_exemption(client, login_as, db, org):
    login_as("ig_officer")
    db.commit()
    data = {
        "staff_number": org.bob.staff_number,
        "course_code": "DSA",
        "reason": "long-term leave",
        "starts_on": [1, 1, 2026],
        "ends_on": [1, 12, 2030],
    }
    assert client.post("/training/exemptions/new", data=data).status_code == 302
    data["ends_on"] = [1, 12, 2025]
    response = client.post("/training/exemptions/new", data=data)
    assert response.status_code == 422
    assert b"on or after the start date" in response.data


@pytest.mark.parametrize(
    "url", ["/training/team", "/training/", "/training/?on=31&on=3&on=2026", "/people/"]
)
def test_list_pages_do_not_query_per_row(client, login_as, db, engine, org, url):
    login_as("ig_officer")
    db.commit()
    client.get(url)  # sign-in bookkeeping out of the way

    def counted():
        from ig.training import cache

        cache.clear(db)
        return statements_for_get(engine, client, url)

    counted()
    few = counted()
    for n in range(30):
        make_staff(db, org.children, name=f"Extra {n}")
    db.commit()
    assert counted() == few


def test_manager_page_does_not_query_per_row(client, db, engine, org):
    """The new page shape: both lists and the figures cost the same however many people."""
    sign_in_manager(client, org, db)
    url = "/training/team?up_to_date_page=1"
    client.get(url)

    def counted():
        from ig.training import cache

        cache.clear(db)
        return statements_for_get(engine, client, url)

    counted()
    few = counted()
    today = dt.date.today()  # noqa: DTZ011 - the page shows today's list
    for n in range(20):
        person = make_staff(db, org.adults_east, name=f"Extra {n}")
        if n % 2:
            for code in ("DSA", "IGF", "CYB", "REC"):  # the rest are overdue
                make_completion(db, person, code, today - dt.timedelta(days=30 + n))
    db.commit()
    assert counted() == few


def upload(client, text, name="learning.csv", url="/training/imports/new"):
    data = {"file": (io.BytesIO(text.encode("utf-8")), name)}
    return client.post(url, data=data, content_type="multipart/form-data")


def test_upload_check_and_import_the_valid_rows(client, login_as, db, org):
    login_as("ig_officer")
    db.commit()
    text = f"Staff number,Course,Completed\n{org.bob.staff_number},DSA,01/11/2025\nNOBODY,DSA,x\n"
    response = upload(client, text)
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    body = page.get_data(as_text=True)
    assert "Rejected rows" in body
    assert "no member of staff has the number" in body
    assert "Import the 1 valid rows" in body
    decided = client.post(response.headers["Location"], data={"apply": "y"})
    assert decided.status_code == 302
    done = client.get(decided.headers["Location"]).get_data(as_text=True)
    assert "Imported: 1 added, 0 already on record, 1 rejected rows left out." in done
    again = upload(client, text, name="same-again.csv")
    assert "already imported" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_upload_then_import_nothing(client, login_as, db, org):
    login_as("ig_officer")
    db.commit()
    response = upload(client, "staff_number,course_code,completed_on\nNOBODY,DSA,2026-01-01\n")
    decided = client.post(response.headers["Location"], data={"discard": "y"})
    assert "Nothing was imported" in client.get(decided.headers["Location"]).get_data(as_text=True)


def test_upload_without_a_file(client, login_as, db):
    login_as("ig_officer")
    db.commit()
    response = client.post("/training/imports/new", data={})
    assert response.status_code == 422
    assert b"Choose a CSV or Excel (.xlsx) file to upload" in response.data


def test_import_page_of_another_kind_is_not_found(client, login_as, db, org):
    login_as("ig_officer")
    db.commit()
    response = upload(client, "staff_number,course_code,completed_on\nNOBODY,DSA,2026-01-01\n")
    import_id = response.headers["Location"].rsplit("/", 1)[1]
    assert client.get(f"/people/imports/{import_id}").status_code == 404


def test_staff_import_through_the_people_pages(client, login_as, db, org):
    login_as("administrator")
    db.commit()
    text = "Staff number,Name,Team,Start date\nN1,New Person,Adults East,01/09/2026\n"
    response = upload(client, text, url="/people/imports/new")
    assert response.status_code == 302
    decided = client.post(response.headers["Location"], data={"apply": "y"})
    done = client.get(decided.headers["Location"]).get_data(as_text=True)
    assert "Imported: 1 added, 0 updated" in done
    assert b"New Person" in client.get("/people/?q=new").data


def test_home_page_tells_the_manager_about_overdue_staff(client, db, org):
    sign_in_manager(client, org, db)
    page = client.get("/")
    assert b"Staff with overdue training" in page.data


def test_home_page_tells_staff_about_their_own_overdue_courses(client, login_as, db, org):
    user = login_as("staff")
    db.get(Staff, org.bob.id).user_id = user.id
    db.commit()
    assert b"Complete your overdue training" in client.get("/").data
    # The count is kept between visits, until a completion changes the training data.
    bob, today = db.get(Staff, org.bob.id), london_today()
    for course in {
        row.course_code for row in service.get_training_status_on(db, [bob.id], today)[bob.id]
    }:
        make_completion(db, bob, course, today)
    db.commit()
    assert b"Complete your overdue training" not in client.get("/").data


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("on=31&on=2&on=2026", "Show figures as at"),
        ("on=1&on=1&on=2101", "between 1900 and 2100"),
        ("on=1&on=1", "Show figures as at"),
    ],
)
def test_evidence_for_a_date_that_cannot_be_read_is_refused_not_given_for_today(
    client, login_as, db, query, message
):
    from sqlalchemy import func, select

    from ig.audit.models import AuditEntry

    login_as("ig_officer")
    exported = select(func.count()).where(AuditEntry.action == "training.evidence_exported")
    before = db.scalar(exported)
    response = client.get(f"/training/evidence.csv?{query}")
    assert response.status_code == 400
    assert "text/html" in response.content_type
    assert message in response.get_data(as_text=True)
    assert db.scalar(exported) == before
