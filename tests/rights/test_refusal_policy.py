"""The grounds for refusal in policies/rights.toml: FOI ss.12, 14 and 21-44 each marked
absolute or qualified with its source, every EIR reg. 12 exception qualified, and a bad
value stops the app naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from ig.policies import Policies
from ig.policy_files import PolicyError
from ig.rights.policy import Family, InterestTest, load_rights
from ig.settings import PROJECT_ROOT

SHIPPED = (PROJECT_ROOT / "policies" / "rights.toml").read_text(encoding="utf-8")

# FOIA s.2(3): the absolute exemptions (s.36 only for the Houses, so qualified here).
ABSOLUTE = {"foi_s21", "foi_s23", "foi_s32", "foi_s34", "foi_s37_royal", "foi_s40_1",
            "foi_s40_2", "foi_s41", "foi_s44"}  # fmt: skip
QUALIFIED = {"foi_s22", "foi_s22a", "foi_s24", "foi_s26", "foi_s27", "foi_s28", "foi_s29",
             "foi_s30", "foi_s31", "foi_s33", "foi_s35", "foi_s36", "foi_s37_honours",
             "foi_s38", "foi_s39", "foi_s42", "foi_s43"}  # fmt: skip
EIR = {f"eir_12_4_{x}" for x in "abcde"} | {f"eir_12_5_{x}" for x in "abcdefg"}


def load(tmp_path: Path, text: str):
    (tmp_path / "rights.toml").write_text(text, encoding="utf-8")
    return load_rights(tmp_path)


def test_the_shipped_grounds_mark_each_exemption_absolute_or_qualified(policies: Policies):
    grounds = policies.rights.grounds
    foi = {k for k, g in grounds.items() if g.regime is Family.FOI}
    assert foi == ABSOLUTE | QUALIFIED | {"foi_s12", "foi_s14_vexatious", "foi_s14_repeated"}
    assert {k for k in foi if grounds[k].test is InterestTest.ABSOLUTE} == ABSOLUTE
    assert {k for k in foi if grounds[k].test is InterestTest.QUALIFIED} == QUALIFIED
    assert {k for k, g in grounds.items() if g.regime is Family.EIR} == EIR
    assert all(grounds[k].is_qualified for k in EIR)
    assert all(g.source.strip() for g in grounds.values())
    assert all("reg. 12(9)" in grounds[f"eir_12_5_{x}"].note for x in "defg")
    assert grounds["eir_12_5_a"].ncnd  # reg. 12(6)
    assert not grounds["eir_12_5_b"].ncnd
    assert not grounds["foi_s21"].ncnd
    assert grounds["foi_s43"].ncnd
    assert {k for k, g in grounds.items() if g.fee_alternative} == {
        "manifestly_unfounded",
        "manifestly_excessive",
    }
    assert set(policies.rights.grounds_for("subject_access")) == {
        "manifestly_unfounded",
        "manifestly_excessive",
    }
    assert policies.rights.grounds_for("complaint") == {}
    assert policies.rights.grounds_for("unknown") == {}
    assert "ICO" in policies.rights.notice.complaint or "Information Commissioner" in (
        policies.rights.notice.complaint
    )


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('regime = "eir"\ntest = "qualified"', 'regime = "eir"\ntest = "absolute"',
         "grounds.eir_12_4_a.test"),
        ('regime = "foi"\ntest = "absolute"', 'regime = "foi"\ntest = "sometimes"',
         "grounds.foi_s21.test"),
        ('regime = "data_protection"\ntest = "none"', 'regime = "complaint"\ntest = "none"',
         "grounds.manifestly_unfounded.regime"),
        ('regime = "data_protection"\ntest = "none"', 'regime = "data_protection"\n'
         'test = "qualified"', "grounds.manifestly_unfounded.test"),
        ('source = "FOIA s.21 (absolute: s.2(3)(a))"', 'source = " "', "grounds.foi_s21.source"),
        ('test = "absolute"\nsource = "FOIA s.21', 'test = "absolute"\nfee_alternative = true\n'
         'source = "FOIA s.21', "grounds.foi_s21.fee_alternative"),
        ("[notice]\ninternal_review = ", "[notice]\nreview = ", "notice.review"),
    ],
)  # fmt: skip
def test_a_bad_ground_names_its_key(tmp_path: Path, old: str, new: str, key: str):
    assert old in SHIPPED
    with pytest.raises(PolicyError) as caught:
        load(tmp_path, SHIPPED.replace(old, new, 1))
    assert key in str(caught.value)


def test_each_regime_needs_a_ground(tmp_path: Path):
    text = SHIPPED.replace('regime = "eir"', 'regime = "foi"')
    with pytest.raises(PolicyError, match="at least one eir ground"):
        load(tmp_path, text)
