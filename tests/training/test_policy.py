"""policies/training.toml: the evidence basis and the warning window are read and checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ig.features import load_policies
from ig.policy_files import PolicyError
from ig.settings import PROJECT_ROOT


def _policies_with(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "policies"
    shutil.copytree(PROJECT_ROOT / "policies", folder)
    path = folder / "training.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_the_shipped_policy_names_its_evidence_basis_and_warning_window():
    policy = load_policies(PROJECT_ROOT / "policies").training
    assert policy.evidence_basis == "as_recorded"
    assert policy.courses["DSA"].expiring_soon_days == 30
    assert policy.courses["CAL"].expiring_soon_days == 60


def test_as_now_known_is_accepted(tmp_path):
    folder = _policies_with(
        tmp_path, 'evidence_basis = "as_recorded"', 'evidence_basis = "as_now_known"'
    )
    assert load_policies(folder).training.evidence_basis == "as_now_known"


def test_a_missing_basis_reads_as_recorded(tmp_path):
    folder = _policies_with(tmp_path, 'evidence_basis = "as_recorded"', "")
    assert load_policies(folder).training.evidence_basis == "as_recorded"


@pytest.mark.parametrize("value", ['"latest"', "1", '""'])
def test_a_bad_basis_stops_start_up_naming_the_file_and_key(tmp_path, value):
    folder = _policies_with(tmp_path, 'evidence_basis = "as_recorded"', f"evidence_basis = {value}")
    with pytest.raises(PolicyError) as raised:
        load_policies(folder)
    message = str(raised.value)
    assert "training.toml" in message
    assert "evidence_basis" in message
