"""The pure rules: which Art. 28(3) terms are missing, and when a contract is ending."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ig.contracts import rules
from ig.contracts.policy import load_contracts
from ig.policy_files import PolicyError
from ig.settings import PROJECT_ROOT

POLICY = load_contracts(PROJECT_ROOT / "policies")
TODAY = dt.date(2026, 11, 22)


def test_the_policy_lists_the_eight_art_28_3_terms_by_letter():
    assert list(POLICY.terms) == list("abcdefgh")
    assert POLICY.ending_soon_days == 90
    assert POLICY.term_label("h").startswith("(h) ")
    assert POLICY.term_label("z") == "z"


def test_missing_terms_are_named_in_the_policys_order():
    assert rules.missing_terms(POLICY.terms, "abcdefgh") == []
    assert rules.missing_terms(POLICY.terms, ["h", "a", "c", "d", "e", "f"]) == ["b", "g"]
    assert rules.missing_terms(POLICY.terms, []) == list("abcdefgh")


def test_the_warning_names_each_missing_term():
    assert rules.missing_message([]) == ""
    one = rules.missing_message([POLICY.term_label("h")])
    assert one.startswith("This contract is missing a term UK GDPR Art. 28(3) requires")
    assert "(h) Makes available the information needed to show compliance" in one
    two = rules.missing_message(["(a) x", "(g) y"])
    assert "missing 2 of the terms" in two
    assert two.endswith("(a) x; (g) y")


@pytest.mark.parametrize(
    ("days", "state"),
    [
        (-1, rules.EndState.ENDED),
        (0, rules.EndState.ENDING_SOON),
        (90, rules.EndState.ENDING_SOON),
        (91, rules.EndState.RUNNING),
    ],
)
def test_the_edges_of_the_window(days, state):
    assert rules.end_state(TODAY + dt.timedelta(days=days), TODAY, 90) is state


@given(
    end=st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)),
    today=st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)),
    window=st.integers(0, 730),
)
def test_the_end_state_matches_the_window(end, today, window):
    state = rules.end_state(end, today, window)
    if end < today:
        assert state is rules.EndState.ENDED
    elif (end - today).days <= window:
        assert state is rules.EndState.ENDING_SOON
        assert end <= rules.ending_soon_from(today, window)
    else:
        assert state is rules.EndState.RUNNING
        assert end > rules.ending_soon_from(today, window)


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "contracts.toml").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('version = "1"\n[value_bands]\n[terms]\na = "x"\n', "value_bands"),
        ('version = "1"\n[value_bands]\nx = "y"\n[terms]\n', "terms"),
        ('version = "1"\nspare = 1\n[value_bands]\nx = "y"\n[terms]\na = "x"\n', "spare"),
        (
            'version = "1"\n[ending]\nending_soon_days = -1\n[value_bands]\nx = "y"\n'
            '[terms]\na = "x"\n',
            "ending_soon_days",
        ),
    ],
)
def test_a_bad_policy_names_the_key(tmp_path, text, key):
    with pytest.raises(PolicyError, match=key):
        load_contracts(_write(tmp_path, text))
