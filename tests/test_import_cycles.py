"""No module of the package imports another that imports it back (issue 18).

The import graph is read from the source with ``ast``: every ``import`` counts, at the top,
inside a function (a late import) or under ``TYPE_CHECKING`` — a late import hides a cycle,
it does not remove it. ``from .pkg import name`` is an edge to ``pkg.name`` when that is a
module, else to ``pkg`` (its ``__init__``).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "disclosureguard"

def modules() -> dict[str, tuple[Path, bool]]:
    """Module name (without the package prefix) → (file, is a package)."""
    found = {}
    for path in (SRC / PACKAGE).rglob("*.py"):
        parts = list(path.relative_to(SRC / PACKAGE).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, is_package)
    return found


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str | None:
    if not node.level:
        name = node.module or ""
        return name if name == PACKAGE or name.startswith(PACKAGE + ".") else None
    here = [PACKAGE, *filter(None, module.split("."))]
    base = here if is_package else here[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(module: str, is_package: bool, tree: ast.AST, known: set[str]) -> set[str]:
    def local(name: str) -> str:
        return name.removeprefix(PACKAGE).removeprefix(".")

    edges: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            edges |= {local(a.name) for a in node.names if a.name.split(".")[0] == PACKAGE}
        elif isinstance(node, ast.ImportFrom) and (target := _absolute(module, is_package, node)) is not None:
            for alias in node.names:
                sub = local(f"{target}.{alias.name}")
                edges.add(sub if sub in known else local(target))
    return {e for e in edges if e in known and e != module}


def import_graph() -> dict[str, set[str]]:
    found = modules()
    names = set(found)
    return {m: imports_of(m, pkg, ast.parse(path.read_text(encoding="utf-8")), names)
            for m, (path, pkg) in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def test_the_graph_sees_late_and_type_checking_imports():
    graph = import_graph()
    assert "redact" in graph["scanner"]  # under TYPE_CHECKING, and late inside Scanner.redact
    assert "redact.email" in graph["redact.dispatch"]  # a late import inside redact_bytes
    assert "model" in graph["redact.select"]


def test_cycle_finder_finds_a_cycle_through_three_modules():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [frozenset({"a", "b", "c"})]


def test_no_import_cycle():
    found = [sorted(c) for c in cycles(import_graph())]
    assert found == [], "modules that import each other (move the shared part down, or pass it in)"


def test_scanner_and_redaction_no_longer_import_each_other():
    graph = import_graph()
    assert not {"scanner"} & set().union(*(graph[m] for m in graph if m.startswith("redact")))
    assert "redact.dispatch" not in graph["redact.email"]
    assert "cases.index" not in graph["cases.addressee"]


def test_formats_and_name_lists_import_one_way():
    graph = import_graph()
    # no format module reaches the registry or the dispatcher: they come down in the context
    formats = [m for m in graph if m.startswith("extract.") and m != "extract.formats"]
    assert [m for m in formats if graph[m] & {"extract", "extract.formats"}] == []
    assert {"extract.pdf", "extract.docx", "extract.archive"} <= graph["extract.formats"] | {
        m for sub in graph["extract.formats"] for m in graph[sub]}
    assert "detect.name_lists" not in graph["detect.name_shapes"]
    assert "detect.name_frequencies" in graph["detect.name_shapes"]
