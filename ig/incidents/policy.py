"""policies/incidents.toml: the grading grid, its thresholds and floors, and vocabularies."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ig.policy_files import PolicyError, Section, read_policy_file

FILE = "incidents.toml"
CONFIRM_WHEN = ("always", "notifiable", "never")
# The ICO's data protection register numbers: "Z" and seven characters (Z1234567, ZA123456).
ICO_REGISTRATION = re.compile(r"^Z[A-Z0-9]{7}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Organisation:
    """Part six of the ICO's breach report form: who is reporting."""

    name: str
    ico_registration_number: str
    sector: str
    dpo_name: str
    dpo_email: str
    dpo_phone: str


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
    # Types that are cyber incidents whatever else is recorded (the ICO form asks).
    cyber_types: frozenset[str]
    # Data categories that are special category data (UK GDPR Art. 9) or criminal offence
    # data (Art. 10): the ICO's form asks about them separately.
    special_categories: frozenset[str]
    organisation: Organisation


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


def _organisation(root: Section) -> Organisation:
    table = root.section("organisation")
    keys = ("name", "ico_registration_number", "sector", "dpo_name", "dpo_email", "dpo_phone")
    table.reject_unknown(keys)
    values = {key: table.str(key).strip() for key in keys}
    for key, value in values.items():
        if not value:
            raise PolicyError(table.file, f"{table.prefix}{key}", "must not be empty")
    if not ICO_REGISTRATION.match(values["ico_registration_number"]):
        raise PolicyError(
            table.file,
            f"{table.prefix}ico_registration_number",
            "must be the ICO register's number: Z and seven letters or digits, like Z1234567",
        )
    if not EMAIL.match(values["dpo_email"]):
        raise PolicyError(table.file, f"{table.prefix}dpo_email", "must be an e-mail address")
    return Organisation(**values)


# The keys incidents.toml may hold, at the top and in [grading].
KEYS = (
    *("version", "reference_prefix", "notification_deadline_hours", "grading", "types"),
    *("data_categories", "people_categories", "cyber_types", "special_categories"),
    "organisation",
)
GRADING_KEYS = (
    *("ico_min_likelihood", "ico_min_severity", "dhsc_min_severity"),
    *("vulnerable_floor_likelihood", "vulnerable_floor_severity"),
    *("confirm_when", "confirm_roles", "likelihood", "severity"),
)


def load_incidents(directory: Path) -> IncidentsPolicy:
    """Read and validate policies/incidents.toml; PolicyError naming the key at fault."""
    root = read_policy_file(directory, FILE)
    root.reject_unknown(KEYS)
    grading = root.section("grading")
    grading.reject_unknown(GRADING_KEYS)
    axis = {"minimum": 1, "maximum": 5}
    types = _labels(FILE, root, "types")
    data_categories = _labels(FILE, root, "data_categories")
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
        types=types,
        data_categories=data_categories,
        people_categories=_labels(FILE, root, "people_categories"),
        cyber_types=frozenset(
            root.str_list("cyber_types", allowed=types, what="a type listed under [types]")
        ),
        special_categories=frozenset(
            root.str_list(
                "special_categories",
                allowed=data_categories,
                what="a category listed under [data_categories]",
            )
        ),
        organisation=_organisation(root),
    )
