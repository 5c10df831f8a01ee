"""One item in, one record out: the function every executor runs, local pool or Dask.

A record is the item's verdict (shared/spec/verdict.md) with where the item is: its path,
the file holding it, its size, modification time and SHA-256; and ``cases``, the cases whose
family data it holds or whose people it went to (for the reports' "by case" counts).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..masking import path_words
from ..model import Verdict

# (data, name, to) -> Verdict: a ScanPool's scan, named by the executor.
ScanFunction = Callable[[bytes, str, Sequence[str] | None], Verdict]


@dataclass(frozen=True)
class ScanRequest:
    """An item's bytes and what the record needs; picklable, so it can go to another machine."""

    path: str
    container: str
    member: str | None
    size: int
    mtime: float | None
    data: bytes
    to: tuple[str, ...] | None = None


def scan_item(scan: ScanFunction, request: ScanRequest, values: bool) -> dict[str, Any]:
    """Scan one item and return its record."""
    verdict = scan(request.data, request.path, request.to)
    return make_record(request.path, request.container, request.member, request.size, request.mtime,
                       hashlib.sha256(request.data).hexdigest(), verdict, values)


def make_record(
    path: str,
    container: str,
    member: str | None,
    size: int,
    mtime: float | None,
    sha256: str | None,
    verdict: Verdict,
    values: bool,
) -> dict[str, Any]:
    shown = verdict.to_dict(values=values)
    if not values:
        # File, folder and member names come from the input ("Lily Smith 943 476 5919.docx"):
        # scrubbed as the verdict's own source is. The content's digest keeps two items that mask
        # alike apart in the checkpoint; a resumed run rescans such an item (its raw path is
        # not the key), never skips one.
        safe_container = path_words(container)
        safe_member = path_words(member) if member else member
        if (safe_container, safe_member) != (container, member):
            digest = f" [{sha256[:8]}]" if sha256 else ""
            container = safe_container
            if member:
                member = f"{safe_member}{digest}"
                path = f"{container}!/{member}"
            else:
                path = f"{container}{digest}"
        shown["source"] = path
    return {
        "path": path,
        "container": container,
        "member": member,
        "size": size,
        "mtime": mtime,
        "sha256": sha256,
        "cases": cases_of(verdict),
        **shown,
    }


def cases_of(verdict: Verdict) -> list[str]:
    """The cases a verdict concerns. A professional's name (the social worker's signature) is in
    many cases and is never family data, so it does not tie a file to a case."""
    cases = {f.case for f in verdict.findings if f.case and f.person_role != "professional"}
    for r in verdict.recipients:
        cases.update(c for c in r.recipient.cases if c)
    return sorted(cases)
