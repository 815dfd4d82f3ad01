"""policies/dpia.toml: the screening criteria, the risk grid and the review interval."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ig.policy_files import PolicyError, read_policy_file

FILE = "dpia.toml"
KINDS = ("art35_3", "ico")


@dataclass(frozen=True)
class Criterion:
    """One screening criterion: an Art. 35(3) case or one of the ICO's high-risk criteria."""

    key: str
    kind: str  # "art35_3" or "ico"
    text: str
    source: str


@dataclass(frozen=True)
class DpiaPolicy:
    version: str
    min_ico_criteria: int
    review_interval_months: int
    likelihood: tuple[str, ...]
    severity: tuple[str, ...]
    medium_from: int
    high_from: int
    criteria: Mapping[str, Criterion]

    @property
    def max_score(self) -> int:
        return len(self.likelihood) * len(self.severity)


def load_dpia(directory: Path) -> DpiaPolicy:
    """Read and validate policies/dpia.toml; PolicyError names the file and key."""
    root = read_policy_file(directory, FILE)
    root.reject_unknown(["version", "screening", "review", "grid", "criteria"])
    screening, review, grid = (
        root.section("screening"),
        root.section("review"),
        root.section("grid"),
    )
    screening.reject_unknown(["min_ico_criteria"])
    review.reject_unknown(["interval_months"])
    grid.reject_unknown(["likelihood", "severity", "medium_from", "high_from"])
    likelihood, severity = grid.str_list("likelihood"), grid.str_list("severity")
    if not 2 <= len(likelihood) <= 5 or not 2 <= len(severity) <= 5:
        raise PolicyError(FILE, "grid", "likelihood and severity must each have 2 to 5 levels")
    top = len(likelihood) * len(severity)
    medium_from = grid.int("medium_from", minimum=1, maximum=top)
    high_from = grid.int("high_from", minimum=1, maximum=top)
    if high_from <= medium_from:
        raise PolicyError(FILE, "grid.high_from", "must be greater than medium_from")
    criteria = {}
    for key, section in root.sections("criteria").items():
        section.reject_unknown(["kind", "text", "source"])
        criteria[key] = Criterion(
            key, section.choice("kind", KINDS), section.str("text"), section.str("source")
        )
    if not criteria:
        raise PolicyError(FILE, "criteria", "must list at least one screening criterion")
    return DpiaPolicy(
        version=root.str("version"),
        min_ico_criteria=screening.int("min_ico_criteria", 2, minimum=1, maximum=len(criteria)),
        review_interval_months=review.int("interval_months", 12, minimum=1, maximum=60),
        likelihood=likelihood,
        severity=severity,
        medium_from=medium_from,
        high_from=high_from,
        criteria=criteria,
    )
