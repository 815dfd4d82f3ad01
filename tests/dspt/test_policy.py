"""policies/dspt.toml: its shape is checked on loading, and the figures and pages it
names once the application's are known; every fault names the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from ig.dspt.policy import EvidenceList, check_references, load_dspt
from ig.policy_files import PolicyError
from ig.settings import PROJECT_ROOT

GOOD = """
version = "1"
[items.training]
title = "Staff are trained"
standard = "NDG standard 3: Training"
evidence = "Training compliance"
figures = ["training.compliance"]
[items.training.lists.register]
label = "Compliance"
endpoint = "training.organisation"
"""
LIST = "items.training.lists.register"


def load(tmp_path: Path, text: str):
    (tmp_path / "dspt.toml").write_text(text)
    return load_dspt(tmp_path)


def test_the_shipped_file_loads_every_item_with_its_evidence():
    policy = load_dspt(PROJECT_ROOT / "policies")
    keys = {item.key for item in policy.items}
    assert {"staff_training", "breach_reporting", "access_control", "subject_access"} <= keys
    assert all(item.figures or item.lists for item in policy.items)
    contracts = next(item for item in policy.items if item.key == "processor_contracts")
    assert (
        EvidenceList(
            "missing_terms", "Contracts missing terms", "contracts.index", {"flag": "missing_terms"}
        )
        in contracts.lists
    )


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('version = "1"', 'version = "1"\ncolour = "red"', "colour"),
        ('title = "Staff are trained"\n', "", "items.training.title"),
        ('["training.compliance"]', '["compliance"]', "items.training.figures"),
        ('["training.compliance"]', '"training.compliance"', "items.training.figures"),
        ('endpoint = "training.organisation"', 'endpoint = "/training/"', f"{LIST}.endpoint"),
        ('label = "Compliance"\n', 'label = "Compliance"\nurl = "x"\n', f"{LIST}.url"),
    ],
)  # fmt: skip
def test_a_malformed_file_names_the_key(tmp_path, old, new, key):
    assert old in GOOD
    with pytest.raises(PolicyError) as caught:
        load(tmp_path, GOOD.replace(old, new, 1))
    assert (caught.value.file, caught.value.key) == ("dspt.toml", key)


def test_an_item_needs_some_evidence_and_the_file_some_items(tmp_path):
    bare = GOOD.split("figures")[0]
    with pytest.raises(PolicyError) as caught:
        load(tmp_path, bare)
    assert caught.value.key == "items.training"
    with pytest.raises(PolicyError) as caught:
        load(tmp_path, 'version = "1"\n[items]\n')
    assert caught.value.key == "items"


def test_unknown_figures_and_pages_are_named(tmp_path):
    policy = load(tmp_path, GOOD)
    pages = {"training.organisation"}

    def page_problem(endpoint, _args):
        return None if endpoint in pages else f"ig has no page {endpoint!r}"

    check_references(policy, {"training.compliance"}, page_problem)
    with pytest.raises(
        PolicyError, match=r"no IG report section gives 'training\.compliance'"
    ) as caught:
        check_references(policy, {"training.other"}, page_problem)
    assert (caught.value.file, caught.value.key) == ("dspt.toml", "items.training.figures")
    pages.clear()
    with pytest.raises(PolicyError, match="ig has no page") as caught:
        check_references(policy, {"training.compliance"}, page_problem)
    assert caught.value.key == "items.training.lists.register"
