"""policies/sharing.toml: data categories, purposes, lawful bases and the review rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ig.policy_files import PolicyError, Section, read_policy_file

FILE = "sharing.toml"
LISTS = ("categories", "purposes", "lawful_bases", "special_conditions", "statutory_gateways")


@dataclass(frozen=True)
class SharingPolicy:
    """The lists an agreement's keys come from (key -> label) and the review rules."""

    version: str
    review_notice_days: int
    upload_max_bytes: int
    categories: Mapping[str, str]
    special_categories: frozenset[str]
    purposes: Mapping[str, str]
    lawful_bases: Mapping[str, str]
    special_conditions: Mapping[str, str]
    statutory_gateways: Mapping[str, str]
    # Caldicott Principle 7: purposes for which a partner without an agreement gets
    # what to check before sharing rather than a flat "no".
    direct_care_purposes: frozenset[str] = frozenset()
    direct_care_principle: str = ""
    direct_care_checks: tuple[str, ...] = ()

    def label(self, list_name: str, key: str | None) -> str:
        """The label of ``key`` in the named list (the key itself if it was retired)."""
        if key is None:
            return ""
        labels: Mapping[str, str] = getattr(self, list_name)
        return labels.get(key, key)


def _labels(root: Section, name: str) -> dict[str, str]:
    section = root.section(name)
    labels = {key: section.str(key) for key in section.data}
    if not labels:
        raise PolicyError(FILE, name, "must list at least one entry")
    for key in labels:
        if not key.replace("_", "").isalnum() or len(key) > 60:
            raise PolicyError(FILE, f"{name}.{key}", "keys are letters, digits and _ (60 at most)")
    return labels


def load_sharing(directory: Path) -> SharingPolicy:
    """Read and validate policies/sharing.toml; PolicyError names the key at fault."""
    root = read_policy_file(directory, FILE)
    root.reject_unknown(
        ["version", "review_notice_days", "upload_max_bytes", "special", "direct_care", *LISTS]
    )
    lists = {name: _labels(root, name) for name in LISTS}
    special = root.section("special")
    special.reject_unknown(["categories"])
    care = root.section("direct_care", {})
    care.reject_unknown(["purposes", "principle", "checks"])
    purposes = frozenset(
        care.str_list("purposes", [], allowed=lists["purposes"], what="a key of [purposes]")
    )
    checks = tuple(check.strip() for check in care.str_list("checks", []))
    if purposes and (not checks or not all(checks)):
        raise PolicyError(FILE, "direct_care.checks", "must list what to check before sharing")
    return SharingPolicy(
        version=root.str("version"),
        review_notice_days=root.int("review_notice_days", minimum=0, maximum=366),
        upload_max_bytes=root.int("upload_max_bytes", minimum=1024, maximum=50 * 1024 * 1024),
        special_categories=frozenset(special.str_list("categories", allowed=lists["categories"])),
        direct_care_purposes=purposes,
        direct_care_principle=care.str("principle", "").strip(),
        direct_care_checks=checks,
        **lists,
    )
