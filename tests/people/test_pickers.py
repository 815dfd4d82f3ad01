"""The pickers' search and the resolution of what was typed: ids and names, bounded."""

from __future__ import annotations

from sqlalchemy import insert

from ig.people import pickers
from ig.people.models import Organisation, OrganisationKind
from tests import factories


def _many(db, count, name="Borough Partner"):
    db.execute(
        insert(Organisation),
        [{"name": f"{name} {i:05d}", "kind": OrganisationKind.OTHER} for i in range(count)],
    )


def test_search_finds_by_part_of_the_name_or_the_exact_code(db):
    leeds = factories.make_organisation(
        db, name="Leeds City Council", kind="other", code="E08000035"
    )
    factories.make_organisation(db, name="York Council")
    assert pickers.search(db, pickers.ORGANISATIONS, "city co") == [
        pickers.Choice(leeds.id, "Leeds City Council")
    ]
    assert [c.id for c in pickers.search(db, pickers.ORGANISATIONS, "e08000035")] == [leeds.id]


def test_search_puts_names_that_start_with_the_text_first_and_is_limited(db):
    _many(db, 30)
    first = factories.make_organisation(db, name="Partner of boroughs")
    found = pickers.search(db, pickers.ORGANISATIONS, "partner")
    assert len(found) == pickers.LIMIT
    assert found[0].id == first.id


def test_search_treats_like_wildcards_as_text_and_refuses_nothing_or_too_much(db):
    factories.make_organisation(db, name="Acme Ltd")
    assert pickers.search(db, pickers.ORGANISATIONS, "%") == []
    assert pickers.search(db, pickers.ORGANISATIONS, "_") == []
    assert pickers.search(db, pickers.ORGANISATIONS, "   ") == []
    assert pickers.search(db, pickers.ORGANISATIONS, "a" * 201) == []
    assert pickers.search(db, pickers.ORGANISATIONS, "Acme\x00") == []


def test_an_exact_name_or_code_resolves_even_when_others_contain_it(db):
    leeds = factories.make_organisation(db, name="Leeds", code=None)
    factories.make_organisation(db, name="Leeds Teaching Hospitals")
    picked = pickers.resolve(db, pickers.ORGANISATIONS, "LEEDS", None)
    assert picked.chosen == pickers.Choice(leeds.id, "Leeds")
    assert picked.problem is None


def test_a_single_partial_match_resolves(db):
    only = factories.make_organisation(db, name="Metropolitan Police Service")
    assert pickers.resolve(db, pickers.ORGANISATIONS, "metropolitan", None).chosen.id == only.id


def test_several_matches_are_offered_and_the_chosen_one_decides(db):
    a = factories.make_organisation(db, name="Kent County Council")
    b = factories.make_organisation(db, name="Kent Police")
    picked = pickers.resolve(db, pickers.ORGANISATIONS, "kent", None)
    assert picked.chosen is None
    assert {c.id for c in picked.matches} == {a.id, b.id}
    assert "2 match kent" in picked.problem
    assert pickers.resolve(db, pickers.ORGANISATIONS, "kent", b.id).chosen.id == b.id


def test_more_matches_than_the_limit_offer_the_limit(db):
    _many(db, 25)
    picked = pickers.resolve(db, pickers.ORGANISATIONS, "Borough", None)
    assert len(picked.matches) == pickers.LIMIT
    assert "More than 20" in picked.problem


def test_nothing_matching_says_so(db):
    picked = pickers.resolve(db, pickers.ORGANISATIONS, "Nowhere at all", None)
    assert picked.chosen is None
    assert picked.matches == ()
    assert picked.problem.startswith("No organisation matches \u201cNowhere at all\u201d")


def test_an_id_alone_resolves_a_link_and_a_cleared_field_picks_nothing(db):
    org = factories.make_organisation(db, name="Camden")
    assert pickers.resolve(db, pickers.ORGANISATIONS, None, org.id).chosen.name == "Camden"
    assert pickers.resolve(db, pickers.ORGANISATIONS, "", org.id) == pickers.Picked()
    gone = pickers.resolve(db, pickers.ORGANISATIONS, None, org.id + 1000)
    assert gone.chosen is None
    assert "no longer exists" in gone.problem


def test_teams_search_within_a_scope(db):
    mine = factories.make_team(db, name="Adults North")
    factories.make_team(db, name="Adults South")
    assert [c.id for c in pickers.search(db, pickers.TEAMS, "adults", scope=[mine.id])] == [mine.id]
    assert pickers.resolve(db, pickers.TEAMS, None, mine.id + 1, scope=[mine.id]).problem


def test_people_are_shown_with_their_address_and_found_by_name_or_address(db):
    ann = factories.make_user(db, name="Ann Shaw", email="ann.shaw@council.test")
    other = factories.make_user(db, name="Ann Shaw", email="a.shaw2@council.test")
    gone = factories.make_user(db, name="Ann Shawcross", email="gone@council.test")
    gone.is_active = False
    db.flush()
    found = pickers.search(db, pickers.USERS, "shaw")
    assert found == [
        pickers.Choice(other.id, "Ann Shaw (a.shaw2@council.test)"),
        pickers.Choice(ann.id, "Ann Shaw (ann.shaw@council.test)"),
    ]
    assert pickers.resolve(db, pickers.USERS, "ANN.SHAW@council.test", None).chosen.id == ann.id
    typed = "Ann Shaw (ann.shaw@council.test)"  # what the autocomplete puts in the field
    assert pickers.resolve(db, pickers.USERS, typed, None).chosen.id == ann.id
    assert len(pickers.resolve(db, pickers.USERS, "ann shaw", None).matches) == 2
    assert pickers.resolve(db, pickers.USERS, "shawcross", None).problem
    assert pickers.resolve(db, pickers.USERS, None, gone.id).problem
