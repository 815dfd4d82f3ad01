"""The shape ARCHITECTURE.md promises: no import cycles, every feature in the one list,
modules and functions small enough to read. (The layers are lint-imports' job.)"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

from ig.features import FEATURES
from ig.settings import PROJECT_ROOT

IG = PROJECT_ROOT / "ig"
MAX_LINES = 300
MAX_FUNCTION_LINES = 50


def _sources() -> list[Path]:
    """Every module of ig but the migrations' versions, which are history, not design."""
    return [
        path
        for path in sorted(IG.rglob("*.py"))
        if "node_modules" not in path.parts and "versions" not in path.parts
    ]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    # Imports inside functions and under TYPE_CHECKING count: a cycle is a cycle.
    return grimp.build_graph("ig", cache_dir=None)


def cycles_in(graph: grimp.ImportGraph) -> set[str]:
    """Each import that the imported module leads back from, as the cycle it closes."""
    cycles = set()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is not None:
                cycles.add(" -> ".join((importer, *back)))
    return cycles


def test_the_import_graph_has_no_cycle(graph):
    cycles = cycles_in(graph)
    assert not cycles, "import cycles:\n" + "\n".join(sorted(cycles))


def test_the_cycle_check_finds_a_cycle_through_three_modules():
    graph = grimp.ImportGraph()
    for importer, imported in (
        ("a.views", "a.pages"),
        ("a.pages", "a.forms"),
        ("a.forms", "a.views"),
    ):
        graph.add_import(importer=importer, imported=imported)
    graph.add_import(importer="a.views", imported="a.rules")  # not part of the cycle
    assert "a.views -> a.pages -> a.forms -> a.views" in cycles_in(graph)
    assert not any("a.rules" in cycle for cycle in cycles_in(graph))


def test_every_feature_folder_is_in_the_features_list():
    with_pages = {path.parent.name for path in IG.glob("*/feature.py")}
    listed = [feature.name for feature in FEATURES]
    assert sorted(listed) == sorted(with_pages)
    assert len(set(listed)) == len(listed)
    assert all((IG / name / "feature.py").is_file() for name in listed)


def test_no_module_is_over_300_lines():
    long = {
        str(path.relative_to(PROJECT_ROOT)): lines
        for path in _sources()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long


def test_no_function_is_over_50_lines():
    long = {}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(PROJECT_ROOT)}:{node.lineno} {node.name}"] = lines
    assert not long
