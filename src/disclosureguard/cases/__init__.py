"""Case context: case files, the case index, attribution and case recipients."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ..errors import CaseFileError
from .base import CaseContext, NoCases
from .files import load_case_file, load_case_files
from .index import CaseIndex
from .index_file import build_index, is_index_file, load_index
from .schema import CaseFile

__all__ = [
    "CaseContext",
    "CaseFile",
    "CaseIndex",
    "NoCases",
    "build_index",
    "load_case_file",
    "load_case_files",
    "load_cases",
    "load_index",
]

CaseSource = CaseContext | str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None


def load_cases(source: CaseSource, *, key: str | bytes | None = None) -> CaseContext:
    """The case context for ``source``.

    None gives NoCases; a CaseContext is returned as is; a path is a folder of case files, one
    case file, or an index built by ``disclosureguard index build`` (recognised by its first
    bytes); a list of paths combines case files and folders. A built index stands alone: its
    values are hashed under its own key, so it can't be mixed with case files in one list.
    ``key`` is the index key when it is neither in DISCLOSUREGUARD_INDEX_KEY nor beside the index.
    """
    if source is None:
        return NoCases()
    if isinstance(source, CaseContext) and not isinstance(source, str | os.PathLike):
        return source
    paths = [Path(source)] if isinstance(source, str | os.PathLike) else [Path(p) for p in source]
    if not paths:
        return NoCases()
    indexes = [p for p in paths if p.is_file() and is_index_file(p)]
    if indexes:
        if len(paths) > 1:
            raise CaseFileError(str(indexes[0]), "", "one built index on its own, not mixed with other case sources")
        return CaseIndex(load_index(indexes[0], key))
    return CaseIndex.from_cases(load_case_files(paths))
