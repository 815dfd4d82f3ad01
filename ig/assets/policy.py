"""policies/assets.toml: the confirmation cycle and the closed lists of data an asset holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ig.policy_files import PolicyError, Section, read_policy_file


@dataclass(frozen=True)
class AssetsPolicy:
    """How often owners confirm their assets, and what personal data an asset may hold."""

    version: str
    confirm_every_months: int
    due_soon_days: int
    personal_data: Mapping[str, str]
    special_categories: Mapping[str, str]

    def category_label(self, key: str) -> str:
        """The category's label (personal or special), or its key when no longer listed."""
        return self.personal_data.get(key) or self.special_categories.get(key, key)


def _labels(root: Section, name: str) -> dict[str, str]:
    section = root.section(name)
    labels = {key: section.str(key) for key in section.data}
    if not labels:
        raise PolicyError("assets.toml", name, "must list at least one category")
    return labels


def load_assets(directory: Path) -> AssetsPolicy:
    """Read and validate policies/assets.toml; PolicyError names the key at fault."""
    root = read_policy_file(directory, "assets.toml")
    root.reject_unknown(["version", "confirmation", "personal_data", "special_categories"])
    confirmation = root.section("confirmation", {})
    confirmation.reject_unknown(["confirm_every_months", "due_soon_days"])
    personal, special = _labels(root, "personal_data"), _labels(root, "special_categories")
    overlap = sorted(set(personal) & set(special))
    if overlap:
        raise PolicyError("assets.toml", "special_categories", f"repeats {overlap[0]}")
    return AssetsPolicy(
        version=root.str("version"),
        confirm_every_months=confirmation.int("confirm_every_months", 12, minimum=1, maximum=60),
        due_soon_days=confirmation.int("due_soon_days", 30, minimum=0, maximum=365),
        personal_data=personal,
        special_categories=special,
    )
