"""policies/reports.toml: small-number suppression, protective marking, quarters, trends."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ig.policy_files import read_policy_file

MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE")


@dataclass(frozen=True)
class ReportsPolicy:
    """How reports are published, and the policy files they were computed under.

    ``policy_files`` maps each policy file's name to the SHA-256 of its content when the
    policies were loaded, so a stored report says exactly which rules it used.
    """

    version: str
    suppression_threshold: int
    protective_marking: str
    year_starts_month: int
    trend_quarters: int
    policy_files: Mapping[str, str]


def policy_digests(directory: Path) -> dict[str, str]:
    """The SHA-256 of every policy file in ``directory``, by file name."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.glob("*.toml"))
    }


def load_reports(directory: Path) -> ReportsPolicy:
    """Read and validate policies/reports.toml; PolicyError names the file and key."""
    root = read_policy_file(directory, "reports.toml")
    root.reject_unknown(
        [
            "version",
            "suppression_threshold",
            "protective_marking",
            "year_starts_month",
            "trend_quarters",
        ]
    )
    return ReportsPolicy(
        version=root.str("version"),
        suppression_threshold=root.int("suppression_threshold", 5, minimum=1, maximum=100),
        protective_marking=root.choice("protective_marking", MARKINGS, "OFFICIAL"),
        year_starts_month=root.int("year_starts_month", 4, minimum=1, maximum=12),
        trend_quarters=root.int("trend_quarters", 8, minimum=2, maximum=20),
        policy_files=policy_digests(directory),
    )
