"""The risk matrix's rules, and policies/risks.toml's validation."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ig.policy_files import PolicyError
from ig.risks import rules
from ig.risks.policy import load_risks
from ig.risks.rules import ReviewState
from ig.settings import PROJECT_ROOT

POLICY = load_risks(PROJECT_ROOT / "policies")
LEVEL = st.integers(min_value=1, max_value=5)


@settings(max_examples=30)
@given(LEVEL, LEVEL, LEVEL, LEVEL)
def test_score_and_rating_rise_with_likelihood_and_impact(lk, im, lk2, im2):
    value = rules.score(lk, im)
    assert value == lk * im
    assert 1 <= value <= 25
    band = rules.rating(POLICY, value)
    assert band.from_score <= value
    higher = [r for r in POLICY.ratings if r.from_score > band.from_score]
    assert all(value < r.from_score for r in higher)
    if lk2 >= lk and im2 >= im:  # never a lower band for a worse position
        assert rules.rating_index(POLICY, rules.score(lk2, im2)) >= rules.rating_index(
            POLICY, value
        )
        # ... and never a longer wait for its review
        assert rules.rating(POLICY, lk2 * im2).review_months <= band.review_months


@pytest.mark.parametrize(("lk", "im"), [(0, 3), (6, 1), (3, -1), (2, 6)])
def test_score_refuses_positions_off_the_matrix(lk, im):
    with pytest.raises(ValueError, match="1 to 5"):
        rules.score(lk, im)


@settings(max_examples=30)
@given(LEVEL, LEVEL, LEVEL, LEVEL)
def test_heat_map_marks_one_current_and_one_target_square(lk, im, tlk, tim):
    grid = rules.heat_map(POLICY, (lk, im), (tlk, tim))
    cells = [cell for row in grid for cell in row]
    assert len(grid) == 5
    assert all(len(row) == 5 for row in grid)
    assert [row[0].likelihood for row in grid] == [5, 4, 3, 2, 1]
    assert [(c.likelihood, c.impact) for c in cells if c.is_current] == [(lk, im)]
    assert [(c.likelihood, c.impact) for c in cells if c.is_target] == [(tlk, tim)]
    assert all(c.score == c.likelihood * c.impact for c in cells)


@pytest.mark.parametrize(
    ("category", "value", "above"),
    [("cyber", 6, False), ("cyber", 8, True), ("records", 9, False), ("records", 10, True)],
)
def test_appetite_is_the_category_s_or_the_register_s(category, value, above):
    assert rules.is_above_appetite(POLICY, category, value) is above


@pytest.mark.parametrize(
    ("reviewed", "value", "due"),
    [
        (dt.date(2026, 1, 31), 20, dt.date(2026, 2, 28)),  # very high: a month
        (dt.date(2026, 1, 10), 12, dt.date(2026, 4, 10)),  # high: three months
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),  # medium: six months
        (dt.date(2024, 2, 29), 2, dt.date(2025, 2, 28)),  # low: a year
    ],
)
def test_next_review_follows_the_rating_s_interval(reviewed, value, due):
    assert rules.next_review_on(POLICY, reviewed, value) == due


@pytest.mark.parametrize(
    ("due", "state"),
    [
        (dt.date(2026, 11, 21), ReviewState.OVERDUE),
        (dt.date(2026, 11, 22), ReviewState.DUE_SOON),
        (dt.date(2026, 12, 22), ReviewState.DUE_SOON),
        (dt.date(2026, 12, 23), ReviewState.CURRENT),
    ],
)
def test_review_state(due, state):
    assert rules.review_state(due, dt.date(2026, 11, 22), 30) is state


@pytest.fixture
def directory(tmp_path):
    shutil.copy(PROJECT_ROOT / "policies" / "risks.toml", tmp_path / "risks.toml")
    return tmp_path


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("from_score = 5\n", "from_score = 1\n", "ratings[2].from_score"),
        ("from_score = 1\n", "from_score = 2\n", "ratings[1].from_score"),
        ('key = "high"', 'key = "low"', "ratings[3].key"),
        ("review_months = 12", "review_months = 0", "ratings[1].review_months"),
        ("max_score = 9", "max_score = 26", "appetite.max_score"),
        ("cyber = 6", "cybre = 6", "appetite.categories.cybre"),
        ('[[impact]]\nlabel = "Severe"', '[[impactt]]\nlabel = "Severe"', "impactt"),
        ('label = "Rare"', 'labl = "Rare"', "likelihood[1].labl"),
        ("due_soon_days = 30", 'due_soon_days = "30"', "review.due_soon_days"),
    ],
)
def test_faults_name_the_file_and_key(directory, old, new, key):
    path = directory / "risks.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(PolicyError) as raised:
        load_risks(directory)
    assert raised.value.file == "risks.toml"
    assert raised.value.key == key
