"""Page headers and footers repeated on every page: read once per document, reported once.

A line that opens or closes most pages of a long document, word for word ("Inspection of
Birmingham local authority children's services"), is kept on the first page it stands on
and taken off the others, so it is scanned once and a finding in it is reported once.
Only lines equal in every character (spaces aside) count as repeats: a footer whose
number changes from page to page ("Page 3 of 20", a reference per page) is left on every
page, so no value that differs from one page to the next is ever lost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

EDGE_LINES = 3  # lines at the top and at the bottom of a page that may be a header or footer
MIN_PAGES = 3


def _norm(line: str) -> str:
    return " ".join(line.split())


def _edges(text: str) -> set[str]:
    lines = [n for n in (_norm(line) for line in text.split("\n")) if n]
    return set(lines[:EDGE_LINES] + lines[-EDGE_LINES:])


def repeated_lines(pages: Sequence[str]) -> frozenset[str]:
    """Lines at the edge of at least half of the pages (and of at least MIN_PAGES)."""
    if len(pages) < MIN_PAGES:
        return frozenset()
    seen: Counter[str] = Counter()
    for text in pages:
        seen.update(_edges(text))
    need = max(MIN_PAGES, (len(pages) + 1) // 2)
    return frozenset(line for line, count in seen.items() if count >= need)


def drop_repeats(pages: Sequence[str]) -> list[str]:
    """Each page's text with the repeated header and footer lines left only where first met."""
    repeats = repeated_lines(pages)
    if not repeats:
        return list(pages)
    met: set[str] = set()
    out: list[str] = []
    for text in pages:
        edges = _edges(text) & repeats
        kept = []
        for line in text.split("\n"):
            norm = _norm(line)
            if norm in edges and norm in met:
                continue
            kept.append(line)
        met |= edges
        out.append("\n".join(kept))
    return out
