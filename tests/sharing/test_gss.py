"""Council codes checked against the ONS list on every way in, and loading a newer list."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.cli import main
from ig.db import utcnow
from ig.errors import ValidationFailed
from ig.people.models import Organisation, OrganisationKind
from ig.sharing import gss, organisations
from ig.sharing.models import GssCode, GssRelease
from ig.sharing.organisations import OrganisationInput
from tests import factories
from tests.sharing.conftest import NOW, OFFICER, actions

LONDON_2025 = "".join(
    f"E09{n:06d},{name}\n"
    for n, name in enumerate(
        ["City of London", "Barking and Dagenham", *[f"Borough {n}" for n in range(3, 34)]],
        start=1,
    )
)
NEWER = "LAD25CD,LAD25NM\n" + LONDON_2025 + "E09000034,New Borough\n"


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def council(name: str, code: str) -> OrganisationInput:
    return OrganisationInput(name, OrganisationKind.LOCAL_AUTHORITY, code)


@pytest.fixture
def isolated(db):
    """Open SQLite's transaction for real, so a command's commit stays inside the test's."""
    connection = db.get_bind()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("DELETE FROM sharing_gss_codes WHERE 1 = 0")


def test_a_borough_that_does_not_exist_is_not_added(db):
    with pytest.raises(ValidationFailed, match="no London borough has this code") as refused:
        organisations.create_organisation(db, OFFICER, council("Nowhere", "e09000034"))
    assert refused.value.field == "code"
    assert count(db, Organisation) == 0


def test_harrow_is_added_and_its_listing_shown(db):
    harrow = organisations.create_organisation(db, OFFICER, council("Harrow", "E09000015"))
    listing = gss.find_council_listing(db, harrow)
    assert listing is not None
    assert (listing.ons_name, listing.kind, listing.names_match) == (
        "Harrow",
        "London borough",
        True,
    )
    assert listing.dated_on == dt.date(2023, 12, 1)


def test_a_name_unlike_the_ons_name_is_shown_as_differing(db):
    odd = organisations.create_organisation(db, OFFICER, council("Camden", "E09000015"))
    listing = gss.find_council_listing(db, odd)
    assert listing is not None
    assert (listing.ons_name, listing.names_match) == ("Harrow", False)


def test_only_councils_of_a_listed_kind_have_a_listing(db):
    trust = factories.make_organisation(db, "nhs_trust", "RJ1", "Guy's and St Thomas'")
    welsh = factories.make_organisation(db, "local_authority", "W06000015", "Cardiff")
    old = factories.make_organisation(db, "local_authority", "E07000004", "Aylesbury Vale")
    assert gss.find_council_listing(db, trust) is None
    assert gss.find_council_listing(db, welsh) is None
    listing = gss.find_council_listing(db, old)
    assert listing is not None
    assert (listing.ons_name, listing.kind) == (None, "non-metropolitan district")


def test_changing_a_code_to_one_no_council_has_is_refused(db):
    harrow = organisations.create_organisation(db, OFFICER, council("Harrow", "E09000015"))
    with pytest.raises(ValidationFailed, match="no county has this code"):
        organisations.update_organisation(
            db, OFFICER, harrow, council("Harrow", "E10000099"), harrow.version
        )
    db.refresh(harrow)
    assert harrow.code == "E09000015"


def test_a_council_the_list_has_since_dropped_stays_editable_under_its_code(db):
    old = factories.make_organisation(db, "local_authority", "E07000004", "Aylesbury Vale")
    data = OrganisationInput(
        "Aylesbury Vale", OrganisationKind.LOCAL_AUTHORITY, "E07000004", dpo_contact="dpo@x"
    )
    organisations.update_organisation(db, OFFICER, old, data, old.version)
    assert old.dpo_contact == "dpo@x"
    with pytest.raises(ValidationFailed, match="no non-metropolitan district"):
        organisations.create_organisation(db, OFFICER, council("Aylesbury", "E07000004"))


def test_an_organisation_list_with_an_unknown_council_changes_nothing(db):
    text = "LAD23CD,LAD23NM\nE09000015,Harrow\nE09000034,Nowhere\n"
    with pytest.raises(ValidationFailed, match="Nowhere: E09000034: no London borough") as error:
        organisations.load_organisations_csv(db, OFFICER, text, "LAD.csv")
    assert error.value.field == "file"
    assert count(db, Organisation) == 0


def test_a_newer_release_replaces_the_kinds_it_lists(db):
    result = gss.load_gss_release(
        db, OFFICER, NEWER, NOW, source="ONS LAD (April 2025)", dated_on=dt.date(2025, 4, 1)
    )
    assert (result.kinds, result.added, result.removed, result.renamed) == (
        ["London borough"],
        1,
        0,
        31,
    )
    known = gss.current_gss_list(db)
    assert known.names["E09000034"] == "New Borough"
    assert known.sources["E09"].dated_on == dt.date(2025, 4, 1)
    assert known.sources["E06"].dated_on == dt.date(2023, 12, 1)  # still the shipped list
    assert known.names["E06000001"] == "Hartlepool"
    organisations.create_organisation(db, OFFICER, council("New Borough", "E09000034"))
    release = db.get(GssRelease, result.release_id)
    assert (release.source, release.prefixes, release.row_count) == (
        "ONS LAD (April 2025)",
        "E09",
        34,
    )
    assert actions(db, "gss_release", release.id) == ["gss.list_loaded"]


def test_a_release_that_drops_a_code_in_use_names_the_council(db):
    harrow = factories.make_organisation(db, "local_authority", "E09000015", "Harrow")
    text = "LAD25CD,LAD25NM\nE09000001,City of London\n"
    result = gss.load_gss_release(
        db, OFFICER, text, NOW, source="ONS", dated_on=dt.date(2025, 4, 1)
    )
    assert result.removed == 32
    assert result.unlisted == [harrow]
    with pytest.raises(ValidationFailed, match="no London borough"):
        organisations.create_organisation(db, OFFICER, council("Barnet", "E09000003"))


def test_loading_the_same_release_again_changes_no_code(db):
    for _ in range(2):
        result = gss.load_gss_release(
            db, OFFICER, NEWER, NOW, source="ONS", dated_on=dt.date(2025, 4, 1)
        )
    assert (result.added, result.removed, result.renamed) == (0, 0, 0)
    assert count(db, GssCode) == 34
    assert count(db, GssRelease) == 2


@pytest.mark.parametrize(
    ("text", "options", "field", "message"),
    [
        (NEWER, {"source": "ONS", "dated_on": dt.date(2022, 12, 1)}, "dated_on", "later than"),
        (NEWER, {"source": "ONS"}, "dated_on", "Give the date"),
        (NEWER, {"source": " ", "dated_on": dt.date(2025, 4, 1)}, "source", "Name the release"),
        ("LAD25CD,LAD25NM\nE0900001,A\n", {"source": "ONS"}, "file", "Line 2"),
    ],
)
def test_a_bad_release_changes_nothing(db, text, options, field, message):
    with pytest.raises(ValidationFailed, match=message) as refused:
        gss.load_gss_release(db, OFFICER, text, NOW, **options)
    assert refused.value.field == field
    assert count(db, GssRelease) == 0
    assert count(db, GssCode) == 0
    assert gss.current_gss_list(db) is gss.shipped_gss_list()


@pytest.fixture
def run(app, db, isolated):
    runner = app.test_cli_runner()

    def invoke(*args):
        db.commit()  # a command's session must see (and not roll back) the set-up
        return runner.invoke(main, list(args))

    return invoke


def test_ig_sharing_load_gss_loads_a_release(run, db, tmp_path):
    path = tmp_path / "LAD_APR_2025_UK_NC.csv"
    path.write_text(NEWER, encoding="utf-8")
    result = run("sharing", "load-gss", str(path), "--date", "2025-04-01")
    assert result.exit_code == 0, result.output
    assert "for London borough: 1 codes added, 0 removed, 31 renamed" in result.output
    release = db.scalar(select(GssRelease))
    assert release.source == "ONS names and codes, LAD_APR_2025_UK_NC.csv"
    assert release.dated_on == dt.date(2025, 4, 1)
    assert gss.current_gss_list(db).names["E09000034"] == "New Borough"


def test_ig_sharing_load_gss_reads_the_files_own_source_and_date(run, db, tmp_path):
    path = tmp_path / "lad.csv"
    path.write_text("# source: ONS LAD (April 2025)\n# dated: 2025-04-01\n" + NEWER)
    result = run("sharing", "load-gss", str(path))
    assert result.exit_code == 0, result.output
    assert db.scalar(select(GssRelease.source)) == "ONS LAD (April 2025)"


def test_ig_sharing_load_gss_warns_of_councils_the_release_lacks(run, db, tmp_path):
    factories.make_organisation(db, "local_authority", "E09000015", "Harrow")
    path = tmp_path / "lad.csv"
    path.write_text("LAD25CD,LAD25NM\nE09000001,City of London\n")
    result = run("sharing", "load-gss", str(path), "--date", "2025-04-01")
    assert result.exit_code == 0, result.output
    assert "Check Harrow (E09000015): its code is not in this list." in result.output


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (NEWER, [], "Give the date the release names"),
        (NEWER, ["--date", "2020-01-01"], "later than this one (1 January 2020)"),
        ("code,name\n", ["--date", "2025-04-01"], "not an ONS names-and-codes CSV"),
        (b"\xff\xfe\x00bad", ["--date", "2025-04-01"], "is not a UTF-8 CSV file"),
    ],
)
def test_ig_sharing_load_gss_refuses_a_bad_file_changing_nothing(
    run, db, tmp_path, content, args, message
):
    path = tmp_path / "lad.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    result = run("sharing", "load-gss", str(path), *args)
    assert result.exit_code == 1
    assert "Not loaded:" in result.output
    assert message in result.output
    assert count(db, GssRelease) == 0


def test_the_form_refuses_a_borough_that_does_not_exist(client, login_as, db):
    login_as("ig_officer")
    db.commit()  # requests close the session: keep the set-up
    data = {"name": "Nowhere", "kind": "local_authority", "code": "E09000034"}
    response = client.post("/sharing/organisations/new", data=data)
    assert response.status_code == 422
    assert b"E09000034: no London borough has this code" in response.data
    assert b"govuk-error-summary" in response.data
    assert count(db, Organisation) == 0
    data["code"] = "E09000015"
    assert client.post("/sharing/organisations/new", data=data).status_code == 302


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("London Borough of Harrow", b"Harrow (London borough)"),
        ("Camden", b"ONS lists E09000015 as Harrow (London borough): check that this is"),
    ],
)
def test_the_partner_page_shows_what_the_ons_list_says(client, login_as, db, name, shown):
    harrow = factories.make_organisation(db, "local_authority", "E09000015", name)
    login_as("ig_officer")
    db.commit()  # requests close the session: keep the set-up
    page = client.get(f"/sharing/organisations/{harrow.id}")
    assert page.status_code == 200
    assert b"ONS list (December 2023)" in page.data
    assert shown in page.data
    assert (b"Name differs" in page.data) is (name == "Camden")


def test_the_partner_page_flags_a_code_no_longer_listed(client, login_as, db):
    old = factories.make_organisation(db, "local_authority", "E07000004", "Aylesbury Vale")
    login_as("ig_officer")
    db.commit()  # requests close the session: keep the set-up
    page = client.get(f"/sharing/organisations/{old.id}").data
    assert b"Not listed" in page
    assert b"No non-metropolitan district has the code E07000004 in this list" in page


def bearer(db, roles=("staff",)) -> dict[str, str]:
    user = factories.make_user(db, roles=roles)
    _token, raw = tokens.create_token(db, SYSTEM, user, "dashboard", utcnow())
    db.commit()
    return {"Authorization": f"Bearer {raw}"}


def test_the_api_says_e09000015_is_harrow(client, db):
    response = client.get("/api/v1/sharing/council-codes/e09000015", headers=bearer(db))
    assert response.status_code == 200
    assert response.get_json() == {
        "code": "E09000015",
        "name": "Harrow",
        "kind": "London borough",
        "source": gss.shipped_gss_list().sources["E09"].source,
        "dated_on": "2023-12-01",
    }


@pytest.mark.parametrize(
    ("code", "status", "message"),
    [
        ("E09000034", 404, "no London borough has this code"),
        ("W06000015", 404, "English councils only"),
        ("E0900003", 422, "is not a valid code"),
        ("E23000001", 422, "is not a valid code"),
    ],
)
def test_the_api_refuses_a_code_no_council_has(client, db, code, status, message):
    response = client.get(f"/api/v1/sharing/council-codes/{code}", headers=bearer(db))
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert message in response.get_data(as_text=True)


def test_the_api_needs_a_token_and_reads_a_loaded_release(client, db):
    assert client.get("/api/v1/sharing/council-codes/E09000015").status_code == 401
    gss.load_gss_release(db, OFFICER, NEWER, NOW, source="ONS 2025", dated_on=dt.date(2025, 4, 1))
    body = client.get("/api/v1/sharing/council-codes/E09000034", headers=bearer(db)).get_json()
    assert (body["name"], body["source"], body["dated_on"]) == (
        "New Borough",
        "ONS 2025",
        "2025-04-01",
    )
