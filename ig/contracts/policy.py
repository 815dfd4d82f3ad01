"""policies/contracts.toml: the Art. 28(3) terms, the ending-soon window, the value bands."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ig.policy_files import PolicyError, Section, read_policy_file

FILE = "contracts.toml"


@dataclass(frozen=True)
class ContractsPolicy:
    """The terms a processor contract must contain, and how contracts are flagged."""

    version: str
    ending_soon_days: int
    value_bands: Mapping[str, str]
    terms: Mapping[str, str]  # Art. 28(3) letter -> what the contract must say

    def term_label(self, key: str) -> str:
        """'(a) Processes ...' for a listed term, or the key when no longer listed."""
        text = self.terms.get(key)
        return f"({key}) {text}" if text else key


def _labels(root: Section, name: str) -> dict[str, str]:
    section = root.section(name)
    labels = {key: section.str(key) for key in section.data}
    if not labels:
        raise PolicyError(FILE, name, "must list at least one entry")
    for key in labels:
        if len(key) > 40:
            raise PolicyError(FILE, f"{name}.{key}", "keys are at most 40 characters")
    return labels


def load_contracts(directory: Path) -> ContractsPolicy:
    """Read and validate policies/contracts.toml; PolicyError names the key at fault."""
    root = read_policy_file(directory, FILE)
    root.reject_unknown(["version", "ending", "value_bands", "terms"])
    ending = root.section("ending", {})
    ending.reject_unknown(["ending_soon_days"])
    return ContractsPolicy(
        version=root.str("version"),
        ending_soon_days=ending.int("ending_soon_days", 90, minimum=0, maximum=730),
        value_bands=_labels(root, "value_bands"),
        terms=_labels(root, "terms"),
    )
