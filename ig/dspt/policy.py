"""policies/dspt.toml: the DSPT evidence items ig supports, and what evidences each.

The file is read and its shape checked with the other policies; the report figures and
pages it names are checked once the application's pages are registered
(``check_references``), since only then are they known. Either way a fault stops the
application with the file and the key at fault.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ig.policy_files import PolicyError, Section, read_policy_file

FILE = "dspt.toml"
FIGURE_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
ENDPOINT = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


@dataclass(frozen=True)
class EvidenceList:
    """A page of ig that lists the records evidencing an item (``key``: its table's name)."""

    key: str
    label: str
    endpoint: str
    args: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EvidenceItem:
    """One toolkit evidence item: what it asks, its standard, and ig's evidence for it."""

    key: str
    title: str
    standard: str
    evidence: str
    figures: tuple[str, ...]
    lists: tuple[EvidenceList, ...]


@dataclass(frozen=True)
class DsptPolicy:
    version: str
    items: tuple[EvidenceItem, ...]


def _list(section: Section, name: str) -> EvidenceList:
    section.reject_unknown(["label", "endpoint", "args"])
    endpoint = section.str("endpoint")
    if not ENDPOINT.match(endpoint):
        raise PolicyError(FILE, f"{section.prefix}endpoint", f"{endpoint!r} is not a page name")
    args = section.section("args", {})
    return EvidenceList(
        name, section.str("label"), endpoint, {key: args.str(key) for key in args.data}
    )


def _item(key: str, section: Section) -> EvidenceItem:
    section.reject_unknown(["title", "standard", "evidence", "figures", "lists"])
    figures = section.str_list("figures", [])
    for figure in figures:
        if not FIGURE_KEY.match(figure):
            raise PolicyError(FILE, f"{section.prefix}figures", f"{figure!r} is not a figure key")
    lists = (
        tuple(_list(table, name) for name, table in section.sections("lists").items())
        if "lists" in section.data
        else ()
    )
    if not figures and not lists:
        raise PolicyError(FILE, key, "must name at least one figure or list as evidence")
    return EvidenceItem(
        key.removeprefix("items."),
        section.str("title"),
        section.str("standard"),
        section.str("evidence"),
        figures,
        lists,
    )


def load_dspt(directory: Path) -> DsptPolicy:
    """Read and check the shape of policies/dspt.toml; PolicyError names the key at fault."""
    root = read_policy_file(directory, FILE)
    root.reject_unknown(["version", "items"])
    items = root.sections("items")
    if not items:
        raise PolicyError(FILE, "items", "must list at least one evidence item")
    return DsptPolicy(
        root.str("version"),
        tuple(_item(f"items.{name}", table) for name, table in items.items()),
    )


def check_references(
    policy: DsptPolicy,
    figure_keys: Collection[str],
    page_problem: Callable[[str, Mapping[str, str]], str | None],
) -> None:
    """PolicyError naming the first item whose figure no report section gives, or whose
    list ``page_problem`` finds fault with (no such page, or arguments it cannot take)."""
    for item in policy.items:
        for key in item.figures:
            if key not in figure_keys:
                raise PolicyError(
                    FILE, f"items.{item.key}.figures", f"no IG report section gives {key!r}"
                )
        for shown in item.lists:
            problem = page_problem(shown.endpoint, shown.args)
            if problem:
                raise PolicyError(FILE, f"items.{item.key}.lists.{shown.key}", problem)
