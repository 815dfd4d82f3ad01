"""policies/risks.toml: the 5 x 5 matrix, the rating bands, the appetite and categories."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ig.policy_files import PolicyError, Section, read_policy_file

FILE = "risks.toml"
LEVELS = 5  # the matrix is 5 x 5: the database also holds likelihood and impact to 1-5
TOP_SCORE = LEVELS * LEVELS


@dataclass(frozen=True)
class Level:
    """One step of likelihood or impact: its number (1 lowest), label and meaning."""

    number: int
    label: str
    description: str


@dataclass(frozen=True)
class Rating:
    """A rating band: scores from ``from_score`` up to the next band's, reviewed so often."""

    key: str
    label: str
    from_score: int
    review_months: int


@dataclass(frozen=True)
class RisksPolicy:
    version: str
    due_soon_days: int
    likelihood: tuple[Level, ...]
    impact: tuple[Level, ...]
    ratings: tuple[Rating, ...]
    appetite: int
    category_appetite: Mapping[str, int]
    categories: Mapping[str, str]

    def category_label(self, key: str) -> str:
        """The category's label, or its key when the policy no longer lists it."""
        return self.categories.get(key, key)


def _tables(root: Section, key: str) -> list[Section]:
    """The array of tables ``[[key]]``, each as a Section naming its place."""
    value: Any = root.data.get(key)
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise PolicyError(FILE, key, "must be a list of tables ([[" + key + "]])")
    return [Section(FILE, item, f"{key}[{index + 1}].") for index, item in enumerate(value)]


def _levels(root: Section, key: str) -> tuple[Level, ...]:
    tables = _tables(root, key)
    if len(tables) != LEVELS:
        raise PolicyError(FILE, key, f"must list {LEVELS} levels, lowest first")
    levels = []
    for number, table in enumerate(tables, start=1):
        table.reject_unknown(["label", "description"])
        levels.append(Level(number, table.str("label"), table.str("description")))
    return tuple(levels)


def _ratings(root: Section) -> tuple[Rating, ...]:
    ratings: list[Rating] = []
    for index, table in enumerate(_tables(root, "ratings")):
        table.reject_unknown(["key", "label", "from_score", "review_months"])
        rating = Rating(
            table.str("key"),
            table.str("label"),
            table.int("from_score", minimum=1, maximum=TOP_SCORE),
            table.int("review_months", minimum=1, maximum=60),
        )
        where = f"ratings[{index + 1}]"
        if not ratings and rating.from_score != 1:
            raise PolicyError(FILE, f"{where}.from_score", "the first band must start at 1")
        if ratings and rating.from_score <= ratings[-1].from_score:
            raise PolicyError(FILE, f"{where}.from_score", "must be above the band before it")
        if rating.key in {r.key for r in ratings}:
            raise PolicyError(FILE, f"{where}.key", f"repeats {rating.key}")
        ratings.append(rating)
    if len(ratings) < 2:
        raise PolicyError(FILE, "ratings", "must list at least two rating bands")
    return tuple(ratings)


def load_risks(directory: Path) -> RisksPolicy:
    """Read and validate policies/risks.toml; PolicyError names the file and key."""
    root = read_policy_file(directory, FILE)
    root.reject_unknown(
        ["version", "review", "likelihood", "impact", "ratings", "appetite", "categories"]
    )
    review = root.section("review", {})
    review.reject_unknown(["due_soon_days"])
    categories_section = root.section("categories")
    categories = {key: categories_section.str(key) for key in categories_section.data}
    if not categories:
        raise PolicyError(FILE, "categories", "must list at least one category")
    appetite = root.section("appetite")
    appetite.reject_unknown(["max_score", "categories"])
    per_category = appetite.section("categories", {})
    per_category.reject_unknown(categories)
    return RisksPolicy(
        version=root.str("version"),
        due_soon_days=review.int("due_soon_days", 30, minimum=0, maximum=365),
        likelihood=_levels(root, "likelihood"),
        impact=_levels(root, "impact"),
        ratings=_ratings(root),
        appetite=appetite.int("max_score", minimum=1, maximum=TOP_SCORE),
        category_appetite={
            key: per_category.int(key, minimum=1, maximum=TOP_SCORE) for key in per_category.data
        },
        categories=categories,
    )
