"""Rule tests: references, statuses, who may sign, decisions, review dates, digests."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ig.caldicott import rules
from ig.caldicott.models import Capacity
from ig.errors import PermissionDenied, ValidationFailed

TODAY = dt.date(2026, 5, 4)


@pytest.mark.parametrize(
    ("serial", "expected"), [(1, "CG-2026-0001"), (17, "CG-2026-0017"), (12345, "CG-2026-12345")]
)
def test_references(serial, expected):
    assert rules.make_reference("CG", 2026, serial) == expected


@pytest.mark.parametrize(
    ("status", "review_on", "expected"),
    [
        ("decided", None, "decided"),
        ("decided", TODAY + dt.timedelta(days=31), "decided"),
        ("decided", TODAY + dt.timedelta(days=30), "due_for_review"),
        ("decided", TODAY - dt.timedelta(days=400), "due_for_review"),
        ("awaiting_decision", TODAY, "awaiting_decision"),
        ("awaiting_assessment", None, "awaiting_assessment"),
    ],
)
def test_display_status(status, review_on, expected):
    assert rules.display_status(status, review_on, TODAY, 30) == expected


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ({"caldicott_guardian"}, Capacity.GUARDIAN),
        ({"deputy_caldicott_guardian"}, Capacity.DEPUTY),
        ({"caldicott_guardian", "deputy_caldicott_guardian"}, Capacity.GUARDIAN),
        ({"ig_officer", "siro", "administrator", "auditor", "staff", "manager"}, None),
        (set(), None),
    ],
)
def test_capacity(roles, expected):
    assert rules.capacity_of(roles) == expected


def test_only_a_guardian_who_did_not_raise_it_may_sign():
    assert rules.check_may_sign(2, {"deputy_caldicott_guardian"}, 1) == Capacity.DEPUTY
    with pytest.raises(PermissionDenied, match="raised this request"):
        rules.check_may_sign(1, {"caldicott_guardian"}, 1)
    with pytest.raises(PermissionDenied):
        rules.check_may_sign(2, {"ig_officer"}, 1)
    with pytest.raises(PermissionDenied):
        rules.check_may_sign(None, {"caldicott_guardian"}, 1)


@pytest.mark.parametrize(
    ("outcome", "conditions", "reasons", "review_on", "field"),
    [
        ("maybe", [], "r", None, "outcome"),
        ("approved_with_conditions", [], "r", None, "conditions"),
        ("approved", ["c"], "r", None, "conditions"),
        ("declined", [], "  ", None, "reasons"),
        ("approved", [], "r", TODAY, "review_on"),
    ],
)
def test_incomplete_decisions(outcome, conditions, reasons, review_on, field):
    with pytest.raises(ValidationFailed) as refused:
        rules.check_decision(outcome, conditions, reasons, review_on, TODAY)
    assert refused.value.field == field


def test_complete_decisions_pass():
    rules.check_decision("approved_with_conditions", ["c"], "r", TODAY.replace(year=2027), TODAY)
    rules.check_decision("advice_only", [], "r", None, TODAY)


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2900, 12, 31)),
    st.integers(min_value=1, max_value=120),
)
def test_review_dates_are_the_given_months_later(decided, months):
    review = rules.default_review_on(decided, "research", {"research": months})
    assert review is not None
    assert (review.year - decided.year) * 12 + review.month - decided.month == months
    assert review.day == min(decided.day, 28)


def test_no_review_for_a_one_off_disclosure():
    assert rules.default_review_on(TODAY, "police_disclosure", {"research": 12}) is None


def test_categories_keep_known_keys_in_order_once():
    assert rules.parse_categories("health, x,social_care,health", ["health", "social_care"]) == [
        "health",
        "social_care",
    ]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@given(st.dictionaries(st.text(), json_values, max_size=6))
def test_canonical_json_ignores_key_order(content):
    reordered = dict(reversed(list(content.items())))
    assert rules.canonical_json(content) == rules.canonical_json(reordered)
    assert rules.digest_of(rules.canonical_json(content)) == rules.digest_of(
        rules.canonical_json(reordered)
    )


@given(
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=5),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=5),
)
def test_diff_lists_exactly_the_changed_fields(before, after):
    changed = {change.field for change in rules.diff_contents(before, after)}
    assert changed == {k for k in set(before) | set(after) if before.get(k) != after.get(k)}


def test_the_seal_depends_on_the_key():
    text = rules.canonical_json({"a": 1})
    assert rules.seal_of(b"k" * 32, text) != rules.seal_of(b"j" * 32, text)
