"""Password rules (NCSC guidance), e-mail shape and the Actor value."""

from __future__ import annotations

import dataclasses
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ig.auth.rules import ANONYMOUS, Actor, check_email, check_password
from ig.errors import ValidationFailed

WORDS = ["tangerine", "lorry", "whistle", "cobalt", "otter", "lantern", "meadow", "quartz"]


def refusal(policies, password, user_inputs=()):
    with pytest.raises(ValidationFailed) as caught:
        check_password(policies.security, password, user_inputs)
    assert caught.value.field == "password"
    return caught.value.message


def test_policy_is_the_ncsc_minimum(policies):
    assert policies.security.password_min_length == 12
    assert policies.security.password_max_length >= 64


@given(st.text(max_size=11))
@settings(max_examples=30, deadline=None)
def test_shorter_than_twelve_is_refused_whatever_it_holds(policies, password):
    assert refusal(policies, password) == "Password must be 12 characters or more"


@pytest.mark.parametrize("length", [64, 100, 128])
def test_long_passphrases_are_accepted(policies, length):
    phrase = (" ".join(WORDS) * 3)[:length]
    assert len(phrase) == length
    check_password(policies.security, phrase)


def test_longer_than_the_maximum_is_refused_with_the_limit(policies):
    limit = policies.security.password_max_length
    message = refusal(policies, "quartz meadow " * 20)
    assert message == f"Password must be {limit} characters or fewer"


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "Password123!",
        "qwertyuiop123",
        "iloveyou12345",
        "123456789012",
        "zzzzzzzzzzzz",
    ],
)
def test_common_passwords_are_refused(policies, password):
    assert refusal(policies, password).startswith("Choose a password that is harder to guess")


@pytest.mark.parametrize(
    "password", ["eastmere12345", "Eastmere2026!", "EastmereCouncil1", "Council-Borough-99"]
)
def test_passwords_built_on_the_organisations_words_are_refused(policies, password):
    assert refusal(policies, password).startswith("Choose a password that is harder to guess")


def test_organisation_word_among_strong_words_is_allowed(policies):
    check_password(policies.security, "eastmere tangerine lorry whistle")


def test_the_users_own_details_are_refused(policies):
    refusal(policies, "priya.shah.1987", ("priya.shah@eastmere.example", "Priya Shah"))


@given(st.lists(st.sampled_from(WORDS), min_size=4, max_size=6, unique=True))
@settings(max_examples=40, deadline=None)
def test_no_composition_rules_lower_case_words_suffice(policies, words):
    # No upper case, no digit, no symbol: the NCSC advises against composition rules.
    phrase = " ".join(words)
    assert set(phrase) <= set(string.ascii_lowercase + " ")
    check_password(policies.security, phrase)


@given(st.text(min_size=12, max_size=40))
@settings(max_examples=60, deadline=None)
def test_refusals_never_ask_for_character_classes(policies, password):
    try:
        check_password(policies.security, password)
    except ValidationFailed as refused:
        lowered = refused.message.lower()
        assert not any(word in lowered for word in ("uppercase", "upper case", "symbol", "digit"))


@pytest.mark.parametrize("email", ["a@b.org", "priya.shah@eastmere.example", "x+tag@nhs.net"])
def test_good_email_addresses(email):
    check_email(email)


@pytest.mark.parametrize(
    "email", ["", "no-at-sign", "a@b", "two@@b.org", "sp ace@b.org", "a@b.org" * 60]
)
def test_bad_email_addresses(email):
    with pytest.raises(ValidationFailed) as caught:
        check_email(email)
    assert caught.value.field == "email"


def test_actor_can_and_has_role():
    actor = Actor(1, "a@b.org", frozenset({"staff"}), frozenset({"home.view"}))
    assert actor.can("home.view")
    assert not actor.can("users.manage")
    assert actor.has_role("manager", "staff")
    assert not actor.has_role("administrator")
    assert not ANONYMOUS.can("home.view")
    with pytest.raises(dataclasses.FrozenInstanceError):
        actor.label = "b"  # type: ignore[misc]
