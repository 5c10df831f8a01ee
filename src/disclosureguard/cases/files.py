"""Reading case files (YAML or JSON) from a file, a folder of them, or a list of paths."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from ..errors import CaseFileError
from .schema import CaseFile, parse_case

CASE_FILE_SUFFIXES = (".yaml", ".yml", ".json")
MAX_CASE_FILE_BYTES = 5 * 1024 * 1024  # a case export is a few KB; anything bigger is not one


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings, so a bad date is an error naming its field
    (PyYAML would otherwise raise from deep inside the parser for 2014-13-02)."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_data(path: Path) -> Any:
    file = str(path)
    try:
        if path.stat().st_size > MAX_CASE_FILE_BYTES:
            raise CaseFileError(file, "", f"a case file of at most {MAX_CASE_FILE_BYTES} bytes")
        raw = path.read_bytes()
    except OSError as e:
        raise CaseFileError(file, "", f"a readable file ({e.strerror or e})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseFileError(file, "", "UTF-8 text") from None
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as e:
            raise CaseFileError(file, "", f"valid JSON ({e.msg} at line {e.lineno})") from None
    try:
        return yaml.load(text, Loader=_PlainLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or "syntax error"
        raise CaseFileError(file, "", f"valid YAML ({problem}{where})") from None


def load_case_file(path: str | os.PathLike[str]) -> CaseFile:
    p = Path(path)
    return parse_case(_read_data(p), str(p))


def case_files_in(folder: Path) -> list[Path]:
    """Every case file under a folder, recursively, in a stable order (hidden files skipped)."""
    found = [
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix.lower() in CASE_FILE_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]
    return sorted(found)


def load_case_files(sources: Iterable[str | os.PathLike[str]]) -> list[CaseFile]:
    """Load every case file named or found under the folders named; all or nothing.

    The same case reference in two files is an error: which file is right can't be guessed.
    """
    cases: list[CaseFile] = []
    where: dict[str, str] = {}
    for source in sources:
        path = Path(source)
        if path.is_dir():
            paths = case_files_in(path)
            if not paths:
                raise CaseFileError(str(path), "", "a folder holding case files (*.yaml, *.yml, *.json)")
        elif path.is_file():
            paths = [path]
        else:
            raise CaseFileError(str(path), "", "an existing case file or folder of case files")
        for p in paths:
            case = load_case_file(p)
            if case.case in where:
                raise CaseFileError(case.source, "case", f"a case reference not already used by {where[case.case]}")
            where[case.case] = case.source
            cases.append(case)
    return cases
