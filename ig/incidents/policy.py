"""policies/incidents.toml: the grading grid, its thresholds and floors, and vocabularies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ig.policies import PolicyError, Section, read_policy_file

FILE = "incidents.toml"
CONFIRM_WHEN = ("always", "notifiable", "never")


@dataclass(frozen=True)
class IncidentsPolicy:
    """The organisation's incident rules; ``version`` is recorded with every grading."""

    version: str
    reference_prefix: str
    deadline_hours: int
    ico_min_likelihood: int
    ico_min_severity: int
    dhsc_min_severity: int
    vulnerable_floor_likelihood: int
    vulnerable_floor_severity: int
    confirm_when: str
    confirm_roles: tuple[str, ...]
    likelihood_labels: tuple[str, ...]
    severity_labels: tuple[str, ...]
    types: Mapping[str, str]
    data_categories: Mapping[str, str]
    people_categories: Mapping[str, str]


def _labels(file: str, section: Section, key: str) -> dict[str, str]:
    table = section.section(key)
    labels = {}
    for code in table.data:
        labels[code] = table.str(code)
    if not labels:
        raise PolicyError(file, key, "must list at least one entry")
    return labels


def _five(section: Section, key: str) -> tuple[str, ...]:
    values = section.str_list(key)
    if len(values) != 5:
        raise PolicyError(section.file, f"{section.prefix}{key}", "must list exactly 5 labels")
    return values


def load_incidents(directory: Path) -> IncidentsPolicy:
    """Read and validate policies/incidents.toml; PolicyError naming the key at fault."""
    root = read_policy_file(directory, FILE)
    root.reject_unknown(
        [
            "version",
            "reference_prefix",
            "notification_deadline_hours",
            "grading",
            "types",
            "data_categories",
            "people_categories",
        ]
    )
    grading = root.section("grading")
    grading.reject_unknown(
        [
            "ico_min_likelihood",
            "ico_min_severity",
            "dhsc_min_severity",
            "vulnerable_floor_likelihood",
            "vulnerable_floor_severity",
            "confirm_when",
            "confirm_roles",
            "likelihood",
            "severity",
        ]
    )
    axis = {"minimum": 1, "maximum": 5}
    return IncidentsPolicy(
        version=root.str("version"),
        reference_prefix=root.str("reference_prefix"),
        deadline_hours=root.int("notification_deadline_hours", minimum=1, maximum=24 * 14),
        ico_min_likelihood=grading.int("ico_min_likelihood", **axis),
        ico_min_severity=grading.int("ico_min_severity", **axis),
        dhsc_min_severity=grading.int("dhsc_min_severity", **axis),
        vulnerable_floor_likelihood=grading.int("vulnerable_floor_likelihood", **axis),
        vulnerable_floor_severity=grading.int("vulnerable_floor_severity", **axis),
        confirm_when=grading.choice("confirm_when", CONFIRM_WHEN),
        confirm_roles=grading.str_list("confirm_roles"),
        likelihood_labels=_five(grading, "likelihood"),
        severity_labels=_five(grading, "severity"),
        types=_labels(FILE, root, "types"),
        data_categories=_labels(FILE, root, "data_categories"),
        people_categories=_labels(FILE, root, "people_categories"),
    )
