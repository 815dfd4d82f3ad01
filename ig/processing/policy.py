"""policies/processing.toml: the closed lists a record of processing is chosen from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ig.policy_files import PolicyError, Section, read_policy_file

FILE = "processing.toml"


@dataclass(frozen=True)
class Condition:
    """An Art. 9 or Schedule 1 condition, and what else relying on it requires."""

    label: str
    needs_schedule_1: bool = False
    needs_policy_document: bool = False


@dataclass(frozen=True)
class ProcessingPolicy:
    version: str
    art9_conditions: Mapping[str, Condition]
    schedule_1_conditions: Mapping[str, Condition]
    people_categories: Mapping[str, str]
    data_categories: Mapping[str, str]
    special_categories: Mapping[str, str]

    def data_label(self, key: str) -> str:
        """A data category's label (personal or special), or its key when no longer listed."""
        return self.data_categories.get(key) or self.special_categories.get(key, key)


def _labels(root: Section, name: str) -> dict[str, str]:
    section = root.section(name)
    labels = {key: section.str(key) for key in section.data}
    if not labels:
        raise PolicyError(FILE, name, "must list at least one entry")
    return labels


def _conditions(root: Section, name: str, flag: str) -> dict[str, Condition]:
    conditions = {}
    for key, section in root.sections(name).items():
        section.reject_unknown(["label", flag])
        conditions[key] = Condition(section.str("label"), **{flag: section.bool(flag, False)})
    if not conditions:
        raise PolicyError(FILE, name, "must list at least one condition")
    return conditions


def load_processing(directory: Path) -> ProcessingPolicy:
    """Read and validate policies/processing.toml; PolicyError names the key at fault."""
    root = read_policy_file(directory, FILE)
    lists = ["people_categories", "data_categories", "special_categories"]
    root.reject_unknown(["version", "art9_conditions", "schedule_1_conditions", *lists])
    data, special = _labels(root, "data_categories"), _labels(root, "special_categories")
    overlap = sorted(set(data) & set(special))
    if overlap:
        raise PolicyError(FILE, "special_categories", f"repeats {overlap[0]}")
    return ProcessingPolicy(
        version=root.str("version"),
        art9_conditions=_conditions(root, "art9_conditions", "needs_schedule_1"),
        schedule_1_conditions=_conditions(root, "schedule_1_conditions", "needs_policy_document"),
        people_categories=_labels(root, "people_categories"),
        data_categories=data,
        special_categories=special,
    )
