"""Council codes against the ONS list: the shipped list, the check, reading ONS files."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ig.errors import ValidationFailed
from ig.people.models import OrganisationKind
from ig.sharing.gss import REFERENCE_DIR, shipped_gss_list
from ig.sharing.gss_file import parse_gss_csv
from ig.sharing.partner_codes import (
    GSS_COUNCIL_KINDS,
    GssList,
    GssSource,
    check_gss_code,
    names_same_council,
    normalise_code,
)

SHIPPED = shipped_gss_list()
LONDON = [
    "City of London", "Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley",
    "Camden", "Croydon", "Ealing", "Enfield", "Greenwich", "Hackney",
    "Hammersmith and Fulham", "Haringey", "Harrow", "Havering", "Hillingdon", "Hounslow",
    "Islington", "Kensington and Chelsea", "Kingston upon Thames", "Lambeth", "Lewisham",
    "Merton", "Newham", "Redbridge", "Richmond upon Thames", "Southwark", "Sutton",
    "Tower Hamlets", "Waltham Forest", "Wandsworth", "Westminster",
]  # fmt: skip


def test_e09000034_is_refused_as_no_london_borough():
    with pytest.raises(ValidationFailed, match="no London borough has this code") as refused:
        check_gss_code("E09000034", SHIPPED)
    assert refused.value.field == "code"
    assert "E09000034" in refused.value.message
    assert "December 2023" in refused.value.message


def test_e09000015_is_harrow():
    assert check_gss_code("E09000015", SHIPPED) == "Harrow"


def test_the_london_list_is_exact():
    london = {c: n for c, n in SHIPPED.names.items() if c.startswith("E09")}
    assert london == {f"E09{n:06d}": name for n, name in enumerate(LONDON, start=1)}


def test_the_partner_register_list_of_london_agrees_with_the_ons_list():
    with (REFERENCE_DIR / "london_local_authorities.csv").open(encoding="utf-8-sig") as file:
        rows = {row["LAD23CD"]: row["LAD23NM"] for row in csv.DictReader(file)}
    assert rows == {c: n for c, n in SHIPPED.names.items() if c.startswith("E09")}


@pytest.mark.parametrize(
    ("prefix", "count"), [("E06", 63), ("E07", 164), ("E08", 36), ("E09", 33), ("E10", 21)]
)
def test_each_kind_has_the_number_of_councils_england_has_had_since_april_2023(prefix, count):
    assert sum(1 for code in SHIPPED.names if code.startswith(prefix)) == count


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("E06000001", "Hartlepool"),
        ("E06000066", "Somerset"),
        ("E07000244", "East Suffolk"),
        ("E08000037", "Gateshead"),
        ("E10000034", "Worcestershire"),
    ],
)
def test_councils_of_every_kind_are_found(code, name):
    assert check_gss_code(code, SHIPPED) == name


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("E06000028", "no unitary authority"),  # Bournemouth, abolished 2019
        ("E07000004", "no non-metropolitan district"),  # Aylesbury Vale, abolished 2020
        ("E08000020", "no metropolitan district"),  # Gateshead's code before 2013
        ("E10000006", "no county"),  # Cumbria, abolished 2023
    ],
)
def test_codes_no_longer_in_use_are_refused_naming_the_kind(code, kind):
    with pytest.raises(ValidationFailed, match=f"{kind} has this code"):
        check_gss_code(code, SHIPPED)


def test_the_shipped_list_names_its_source_and_date_for_every_kind():
    assert set(SHIPPED.sources) == set(GSS_COUNCIL_KINDS)
    for source in SHIPPED.sources.values():
        assert source.source.startswith("Office for National Statistics")
        assert source.dated_on == dt.date(2023, 12, 1)


def test_every_shipped_code_is_a_well_formed_council_code():
    for code, name in SHIPPED.names.items():
        assert normalise_code(OrganisationKind.LOCAL_AUTHORITY, code) == code
        assert name
        assert name.strip() == name


COUNCIL_CODES = st.builds(
    lambda prefix, number: f"{prefix}{number:06d}",
    st.sampled_from(sorted(GSS_COUNCIL_KINDS)),
    st.integers(0, 999_999),
)


@given(COUNCIL_CODES)
def test_a_code_is_accepted_exactly_when_the_list_has_it(code):
    if code in SHIPPED.names:
        assert check_gss_code(code, SHIPPED) == SHIPPED.names[code]
    else:
        kind = GSS_COUNCIL_KINDS[code[:3]]
        with pytest.raises(ValidationFailed, match=f"^{code}: no {kind} has this code"):
            check_gss_code(code, SHIPPED)


@given(st.sampled_from(["W06", "S12", "N09"]), st.integers(0, 999_999))
def test_kinds_the_list_does_not_cover_are_left_to_the_format_check(prefix, number):
    assert check_gss_code(f"{prefix}{number:06d}", SHIPPED) is None


def test_a_list_covering_one_kind_checks_only_that_kind():
    known = GssList({"E09000001": "City of London"}, {"E09": GssSource("x", dt.date(2025, 4, 1))})
    assert check_gss_code("E06000001", known) is None
    with pytest.raises(ValidationFailed, match="dated April 2025"):
        check_gss_code("E09000002", known)


@pytest.mark.parametrize(
    ("entered", "ons", "same"),
    [
        ("Harrow", "Harrow", True),
        ("London Borough of Harrow", "Harrow", True),
        ("Bristol City Council", "Bristol, City of", True),
        ("St Helens Borough Council", "St. Helens", True),
        ("Brighton & Hove City Council", "Brighton and Hove", True),
        ("Durham County Council", "County Durham", True),
        ("Hull City Council", "Kingston upon Hull, City of", False),
        ("Harow", "Harrow", False),
        ("Camden", "Harrow", False),
    ],
)
def test_names_same_council(entered, ons, same):
    assert names_same_council(entered, ons) is same


LAD25 = "LAD25CD,LAD25NM,LAD25NMW\nE09000001,City of London,\nW06000001,Isle of Anglesey,Ynys Môn\n"


def test_an_ons_file_is_read_whatever_its_year():
    found = parse_gss_csv("\ufeff" + LAD25)
    assert found.names == {"E09000001": "City of London"}  # Welsh rows are left out
    assert found.prefixes == ["E09"]
    assert (found.source, found.dated_on) == (None, None)
    counties = parse_gss_csv("CTYUA24CD,CTYUA24NM\r\ne10000003,Cambridgeshire\r\n")
    assert counties.names == {"E10000003": "Cambridgeshire"}


def test_a_file_may_name_its_source_and_date():
    found = parse_gss_csv("# source: ONS LAD April 2025\n# dated: 2025-04-01\n" + LAD25)
    assert (found.source, found.dated_on) == ("ONS LAD April 2025", dt.date(2025, 4, 1))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not an ONS names-and-codes CSV"),
        ("code,name\nE09000001,City of London\n", "not an ONS names-and-codes CSV"),
        ("LAD25CD,NAME\nE09000001,City of London\n", "not an ONS names-and-codes CSV"),
        ("LAD25CD,LAD25NM\nE09000001\n", "Line 2: the row is incomplete"),
        ("LAD25CD,LAD25NM\nE09000001,City\nE23000001,Police\n", "Line 3: E23000001 is not"),
        ("LAD25CD,LAD25NM\nE0900001,City\n", "Line 2: E0900001 is not"),
        ("LAD25CD,LAD25NM\nE09000001,\n", "Line 2: E09000001 needs a name"),
        ("LAD25CD,LAD25NM\nE09000001,A\nE09000001,B\n", "Line 3: E09000001 is listed twice"),
        ("LAD25CD,LAD25NM\nW06000001,Isle of Anglesey\n", "no English council codes"),
        ("# dated: April\nLAD25CD,LAD25NM\nE09000001,A\n", "like 2025-04-01"),
        ("# note\nLAD25CD,LAD25NM\nE09000001,A\nE0900002X,B\n", "Line 4:"),
    ],
)
def test_a_bad_file_is_refused_naming_the_fault(text, message):
    with pytest.raises(ValidationFailed, match=message) as refused:
        parse_gss_csv(text)
    assert refused.value.field == "file"


@given(st.text(max_size=300))
def test_no_text_makes_the_reader_fail_other_than_by_a_clear_refusal(text):
    outcome: object
    try:
        outcome = parse_gss_csv(text).names
    except ValidationFailed as refused:
        outcome = (refused.field, bool(refused.message))
    assert outcome == ("file", True) or outcome
