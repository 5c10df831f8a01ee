"""No function over 80 lines in the scanning pool, cases/ or policy/ (issue 18): a long one there
held closures and magic ranks that could not be tested alone."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "disclosureguard"
LONGEST = 80


def _watched() -> list[Path]:
    return sorted([*PACKAGE.glob("pool*.py"), *(PACKAGE / "cases").rglob("*.py"), *(PACKAGE / "policy").rglob("*.py")])


def _long_functions(source: str) -> list[tuple[str, int]]:
    functions = (n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))
    return [(f.name, f.end_lineno - f.lineno + 1) for f in functions
            if f.end_lineno is not None and f.end_lineno - f.lineno + 1 > LONGEST]


def test_the_check_finds_a_long_function() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(LONGEST))
    assert _long_functions(f"def long():\n{body}") == [("long", LONGEST + 1)]
    assert _long_functions("def short():\n    return 1\n") == []


def test_no_function_over_80_lines_in_the_pool_cases_or_policy() -> None:
    watched = _watched()
    assert any(p.name == "pool.py" for p in watched) and any(p.parent.name == "cases" for p in watched)
    long = {str(p.relative_to(PACKAGE)): found for p in watched if (found := _long_functions(p.read_text()))}
    assert long == {}
