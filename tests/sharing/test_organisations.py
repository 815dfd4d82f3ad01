"""The partner register: codes checked per kind, one self, CSV lists, signatories."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ig.errors import ValidationFailed
from ig.people.models import Organisation, OrganisationKind
from ig.sharing import organisations, service
from ig.sharing.organisations import OrganisationInput
from tests import factories
from tests.sharing.conftest import OFFICER, actions


def count(db) -> int:
    return db.scalar(select(func.count()).select_from(Organisation))


def test_a_council_is_added_with_its_code_normalised_and_audited(db):
    data = OrganisationInput("Camden", OrganisationKind.LOCAL_AUTHORITY, " e09000007 ")
    organisation = organisations.create_organisation(db, OFFICER, data)
    assert organisation.code == "E09000007"
    assert actions(db, "organisation", organisation.id) == ["organisation.created"]


@pytest.mark.parametrize(
    ("kind", "code", "says"),
    [
        (OrganisationKind.LOCAL_AUTHORITY, "E9000007", "is not a valid code"),
        (OrganisationKind.NHS_TRUST, "QMJ", "is not a valid code"),
        (OrganisationKind.INTEGRATED_CARE_BOARD, "", "Enter the code"),
    ],
)
def test_a_bad_gss_or_ods_code_is_refused_and_nothing_is_written(db, kind, code, says):
    before = count(db)
    with pytest.raises(ValidationFailed) as refused:
        organisations.create_organisation(db, OFFICER, OrganisationInput("X", kind, code))
    assert refused.value.field == "code"
    assert says in refused.value.message
    assert count(db) == before


def test_a_code_belongs_to_one_organisation(db, camden):
    data = OrganisationInput("Camden again", OrganisationKind.LOCAL_AUTHORITY, "E09000007")
    with pytest.raises(ValidationFailed, match="already the code of Camden"):
        organisations.create_organisation(db, OFFICER, data)


def test_only_one_organisation_is_this_organisation(db, own):
    data = OrganisationInput("Another us", OrganisationKind.OTHER, is_self=True)
    with pytest.raises(ValidationFailed, match="already marked"):
        organisations.create_organisation(db, OFFICER, data)


def test_a_change_records_the_fields_changed(db, camden):
    data = OrganisationInput(
        "Camden", OrganisationKind.LOCAL_AUTHORITY, "E09000007", dpo_contact="dpo@camden.example"
    )
    organisations.update_organisation(db, OFFICER, camden, data, camden.version)
    assert camden.dpo_contact == "dpo@camden.example"
    assert actions(db, "organisation", camden.id)[-1] == "organisation.updated"


def test_the_shipped_london_lists_load_once(db):
    changed = service.load_reference_organisations(db)
    assert changed == 38
    assert service.load_reference_organisations(db) == 0
    london = db.scalars(
        select(Organisation).where(Organisation.code.like("E09%")).order_by(Organisation.code)
    ).all()
    assert len(london) == 33
    assert (london[0].code, london[0].name) == ("E09000001", "City of London")
    assert (london[-1].code, london[-1].name) == ("E09000033", "Westminster")
    assert {o.code for o in london} == {f"E090000{n:02d}" for n in range(1, 34)}
    icbs = db.scalars(
        select(Organisation.code).where(Organisation.kind == OrganisationKind.INTEGRATED_CARE_BOARD)
    ).all()
    assert sorted(icbs) == ["QKK", "QMF", "QMJ", "QRV", "QWE"]
    assert service.find_organisation_by_code(db, "qmj").name == (
        "NHS North Central London Integrated Care Board"
    )


ONS = (
    "\ufeffLAD23CD,LAD23NM,LAD23NMW,ObjectId\r\n"
    "E06000001,Hartlepool,,1\r\n"
    "E07000008,Cambridge,,2\r\n"
    "W06000001,Isle of Anglesey,Ynys Môn,3\r\n"
    "S12000033,Aberdeen City,,4\r\n"
)


def test_the_ons_list_loads_english_councils_only_and_is_idempotent(db):
    result = organisations.load_organisations_csv(db, OFFICER, ONS, "LAD_2023.csv")
    assert (result.added, result.updated, result.unchanged) == (2, 0, 0)
    hartlepool = service.find_organisation_by_code(db, "E06000001")
    assert hartlepool.kind is OrganisationKind.LOCAL_AUTHORITY
    assert service.find_organisation_by_code(db, "W06000001") is None
    again = organisations.load_organisations_csv(db, OFFICER, ONS, "LAD_2023.csv")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert actions(db, "organisation").count("organisation.list_loaded") == 1


def test_a_renamed_council_is_renamed(db):
    organisations.load_organisations_csv(db, OFFICER, ONS, "a.csv")
    renamed = ONS.replace("Hartlepool", "Hartlepool Borough")
    result = organisations.load_organisations_csv(db, OFFICER, renamed, "b.csv")
    assert result.updated == 1
    assert service.find_organisation_by_code(db, "E06000001").name == "Hartlepool Borough"


def test_ig_format_loads_other_kinds(db):
    text = "code,name,kind\nRJ1,Guy's and St Thomas',nhs_trust\nF84001,A practice,gp_practice\n"
    result = organisations.load_organisations_csv(db, OFFICER, text, "partners.csv")
    assert result.added == 2
    assert service.find_organisation_by_code(db, "RJ1").kind is OrganisationKind.NHS_TRUST


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("name,address\nCamden,Judd Street\n", "not an ONS names-and-codes CSV"),
        ("LAD23CD,LAD23NM\nE06000001,Hartlepool\nE0600002,Bad\n", "Line 3"),
        ("code,name,kind\nRJ1,Trust,hospital\n", "Line 2"),
        ("code,name,kind\nRJ1\n", "Line 2"),
    ],
)
def test_a_bad_file_is_refused_naming_the_problem_and_nothing_is_loaded(db, text, says):
    before = count(db)
    with pytest.raises(ValidationFailed) as refused:
        organisations.load_organisations_csv(db, OFFICER, text, "bad.csv")
    assert says in refused.value.message
    assert count(db) == before


def test_a_code_held_by_another_kind_is_not_changed(db):
    factories.make_organisation(db, "nhs_trust", "RJ1", "Trust")
    with pytest.raises(ValidationFailed, match="already Trust"):
        organisations.load_organisations_csv(db, OFFICER, "code,name,kind\nRJ1,X,other\n", "x.csv")


def test_a_signatory_is_named_once(db, camden):
    user = factories.make_user(db, roles=("siro",), email="siro@camden.example")
    organisations.add_signatory(db, OFFICER, camden, "SIRO@camden.example")
    assert organisations.is_named_signatory(db, user.id, camden.id)
    assert organisations.list_signatories(db, camden.id) == [user]
    with pytest.raises(ValidationFailed, match="already a signatory"):
        organisations.add_signatory(db, OFFICER, camden, "siro@camden.example")
    with pytest.raises(ValidationFailed, match="no active user"):
        organisations.add_signatory(db, OFFICER, camden, "nobody@camden.example")


def test_organisations_are_listed_by_name_and_searched_by_name_or_code(db, camden, islington):
    page = service.list_organisations(db, "isling")
    assert [o.name for o in page.rows] == ["Islington"]
    assert [o.name for o in service.list_organisations(db, "e09000007").rows] == ["Camden"]
    kinds = service.list_organisations(db, kind=OrganisationKind.LOCAL_AUTHORITY, per_page=1)
    assert kinds.total >= 2
    assert len(kinds.rows) == 1


def test_an_organisation_is_resolved_by_code_or_unique_name(db, camden):
    assert service.resolve_organisation(db, "e09000007", "f") is camden
    assert service.resolve_organisation(db, "camden", "f") is camden
    factories.make_organisation(db, name="Twin")
    factories.make_organisation(db, name="Twin")
    with pytest.raises(ValidationFailed, match="enter its code"):
        service.resolve_organisation(db, "Twin", "f")
    with pytest.raises(ValidationFailed, match="No organisation"):
        service.resolve_organisation(db, "Atlantis", "f")
