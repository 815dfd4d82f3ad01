"""The DPIA rules: the screening outcome, scores and levels on the grid, the policy file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ig.dpia.policy import load_dpia
from ig.dpia.rules import (
    RiskLevel,
    needs_ico_consultation,
    risk_level,
    risk_score,
    screening_outcome,
)
from ig.policy_files import PolicyError
from ig.settings import PROJECT_ROOT

POLICY = load_dpia(PROJECT_ROOT / "policies")
ART35 = sorted(k for k, c in POLICY.criteria.items() if c.kind == "art35_3")
ICO = sorted(k for k, c in POLICY.criteria.items() if c.kind == "ico")


def test_the_policy_lists_the_art35_cases_and_the_ico_criteria():
    assert len(ART35) == 3
    assert {"innovative_technology", "biometrics", "tracking", "data_matching"} <= set(ICO)
    assert all(c.text and c.source for c in POLICY.criteria.values())


@pytest.mark.parametrize(
    ("selected", "required"),
    [
        ([], False),
        (["innovative_technology"], False),
        (["innovative_technology", "tracking"], True),
        (["systematic_evaluation"], True),
        (["public_monitoring", "tracking"], True),
    ],
)
def test_screening_outcome(selected, required):
    result = screening_outcome(selected, POLICY)
    assert result.is_required is required
    assert result.reasons


def test_an_art35_case_is_named_in_the_reasons():
    result = screening_outcome(["large_scale_special_category"], POLICY)
    assert "Art. 35(3)(b)" in result.reasons[0]


@given(st.sets(st.sampled_from(sorted(POLICY.criteria))))
def test_screening_follows_the_policy_rule(selected):
    result = screening_outcome(selected, POLICY)
    any_art35 = bool(set(selected) & set(ART35))
    ico = len(set(selected) & set(ICO))
    assert result.is_required is (any_art35 or ico >= POLICY.min_ico_criteria)


def test_an_unknown_criterion_is_refused():
    with pytest.raises(KeyError):
        screening_outcome(["made_up"], POLICY)


@pytest.mark.parametrize(
    ("likelihood", "severity", "level"),
    [
        (1, 1, RiskLevel.LOW),
        (1, 2, RiskLevel.LOW),
        (1, 3, RiskLevel.MEDIUM),
        (2, 2, RiskLevel.MEDIUM),
        (2, 3, RiskLevel.HIGH),
        (3, 3, RiskLevel.HIGH),
    ],
)
def test_levels_on_the_grid(likelihood, severity, level):
    assert risk_level(risk_score(likelihood, severity), POLICY) is level


@given(
    st.integers(1, len(POLICY.likelihood)),
    st.integers(1, len(POLICY.severity)),
    st.integers(1, len(POLICY.likelihood)),
    st.integers(1, len(POLICY.severity)),
)
def test_the_grid_is_monotonic_and_bounded(l1, s1, l2, s2):
    score = risk_score(l1, s1)
    assert 1 <= score <= POLICY.max_score
    order = list(RiskLevel)
    if l1 <= l2 and s1 <= s2:
        assert order.index(risk_level(score, POLICY)) <= order.index(
            risk_level(risk_score(l2, s2), POLICY)
        )
    assert needs_ico_consultation(score, POLICY) is (risk_level(score, POLICY) is RiskLevel.HIGH)


def test_no_risks_need_no_consultation():
    assert needs_ico_consultation(None, POLICY) is False


def test_a_bad_policy_names_the_file_and_key(tmp_path: Path):
    text = (PROJECT_ROOT / "policies" / "dpia.toml").read_text(encoding="utf-8")
    (tmp_path / "dpia.toml").write_text(text.replace("high_from = 6", "high_from = 2"))
    with pytest.raises(PolicyError, match=r"dpia\.toml.*high_from"):
        load_dpia(tmp_path)
