"""policies/caldicott.toml: request types, channels, principles, legal bases, reviews."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ig.policy_files import PolicyError, Section, read_policy_file

FILE = "caldicott.toml"
LEGAL_BASIS_LISTS = ("article6", "article9", "article10", "confidentiality")


@dataclass(frozen=True)
class Principle:
    """One of the eight Caldicott Principles."""

    key: str
    number: int
    title: str
    text: str


@dataclass(frozen=True)
class CaldicottPolicy:
    """The choices a request and an assessment are made from, and the review rules."""

    version: str
    reference_prefix: str
    review_lead_days: int
    request_types: Mapping[str, str]
    channels: Mapping[str, str]
    urgency: Mapping[str, str]
    review_months: Mapping[str, int]
    data_categories: Mapping[str, str]
    principles: tuple[Principle, ...]
    legal_bases: Mapping[str, Mapping[str, str]]

    def label(self, table: str, key: str | None) -> str:
        """The label of ``key`` in one of the choice tables, or the key itself if unknown."""
        if key is None:
            return ""
        choices: Mapping[str, str] = getattr(self, table, None) or self.legal_bases.get(table, {})
        return choices.get(key, key)


def _labels(root: Section, key: str) -> dict[str, str]:
    section = root.section(key)
    if not section.data:
        raise PolicyError(FILE, key, "must list at least one choice")
    return {name: section.str(name) for name in section.data}


def _principles(root: Section) -> tuple[Principle, ...]:
    found = []
    for key, section in root.sections("principles").items():
        section.reject_unknown(["number", "title", "text"])
        found.append(
            Principle(
                key,
                section.int("number", minimum=1, maximum=8),
                section.str("title"),
                section.str("text"),
            )
        )
    if sorted(p.number for p in found) != list(range(1, 9)):
        raise PolicyError(FILE, "principles", "must hold the eight principles, numbered 1 to 8")
    return tuple(sorted(found, key=lambda p: p.number))


def load_caldicott(directory: Path) -> CaldicottPolicy:
    """Read and validate policies/caldicott.toml."""
    root = read_policy_file(directory, FILE)
    root.reject_unknown(
        [
            "version",
            "reference_prefix",
            "review_lead_days",
            "request_types",
            "channels",
            "urgency",
            "review_months",
            "data_categories",
            "principles",
            "legal_bases",
        ]
    )
    request_types = _labels(root, "request_types")
    review = root.section("review_months")
    review.reject_unknown(request_types)
    bases = root.section("legal_bases")
    bases.reject_unknown(LEGAL_BASIS_LISTS)
    return CaldicottPolicy(
        version=root.str("version"),
        reference_prefix=root.str("reference_prefix"),
        review_lead_days=root.int("review_lead_days", minimum=0, maximum=365),
        request_types=request_types,
        channels=_labels(root, "channels"),
        urgency=_labels(root, "urgency"),
        review_months={k: review.int(k, minimum=1, maximum=120) for k in review.data},
        data_categories=_labels(root, "data_categories"),
        principles=_principles(root),
        legal_bases={name: _labels(bases, name) for name in LEGAL_BASIS_LISTS},
    )
