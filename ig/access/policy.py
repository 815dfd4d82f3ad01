"""policies/access.toml: the levels of access and the recertification cycle."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ig.policy_files import PolicyError, read_policy_file


@dataclass(frozen=True)
class AccessPolicy:
    """The levels of access a request may name, and how often access is recertified."""

    version: str
    levels: Mapping[str, str]
    recertify_every_months: int

    def level_label(self, key: str) -> str:
        """The level's label, or its key when the policy no longer lists it."""
        return self.levels.get(key, key)


def load_access(directory: Path) -> AccessPolicy:
    """Read and validate policies/access.toml; PolicyError names the key at fault."""
    root = read_policy_file(directory, "access.toml")
    root.reject_unknown(["version", "levels", "recertification"])
    section = root.section("levels")
    levels = {key: section.str(key) for key in section.data}
    if not levels:
        raise PolicyError("access.toml", "levels", "must list at least one level")
    too_long = [key for key in levels if len(key) > 40]
    if too_long:
        raise PolicyError("access.toml", f"levels.{too_long[0]}", "keys are 40 characters at most")
    recertification = root.section("recertification", {})
    recertification.reject_unknown(["every_months"])
    return AccessPolicy(
        version=root.str("version"),
        levels=levels,
        recertify_every_months=recertification.int("every_months", 3, minimum=1, maximum=24),
    )
