"""The first-name and surname lists: the US Census 1990 frequency lists shipped by the
``names`` package (MIT licence; the Census Bureau's data is public domain), cut at a frequency
so that rare entries (which include ordinary words) stay out, plus the island's first names the
1990 census lacks, kept in the catalogue (``names/name_parts.yaml``, ``first_names``).
Nothing is downloaded.

A module of its own below ``name_lists`` (the spans) and ``name_shapes`` (the shapes), which
both ask it whether a word is a listed name.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources

from ..name_parts import name_parts

FIRST_MIN_PERCENT = 0.002  # of the population: about 1 in 50,000 people has the name
SURNAME_MIN_PERCENT = 0.001

# Words on the census lists that are never a first name in a letter.
NEVER_A_FIRST_NAME = frozenset(
    ("said", "else", "even", "ever", "an", "in", "so", "do", "to", "my", "me", "we", "be", "see", "al", "ma",
     "pa", "man", "jersey", "guernsey", "england", "tel", "care", "child", "children", "family", "social",
     "service", "services", "council", "report", "review", "section", "order", "school", "health", "police",
     "team", "house", "home", "office", "centre", "street", "road", "date", "dear", "kind", "best", "yours",
     "regards", "thanks", "please", "thank", "ok", "yes", "no", "court", "lord", "carer", "roman", "catholic",
     "christian", "islam", "muslim", "jewish", "hindu", "sikh", "baptist", "methodist", "anglican", "royal",
     "star", "general", "judge", "justice", "queen", "prince", "princess", "state", "states", "island")
)  # fmt: skip


def fold(word: str) -> str:
    """Upper case without accents, as the lists are written ("Chloé" → "CHLOE")."""
    if word.isascii():  # nothing to decompose: most words, asked for on every capitalised word
        return word.upper()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def _read(file: str, minimum: float) -> frozenset[str]:
    out: set[str] = set()
    text = resources.files("names").joinpath(file).read_text(encoding="ascii")
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and float(parts[1]) >= minimum:
            out.add(parts[0])
    return frozenset(out)


@cache
def first_names() -> frozenset[str]:
    """Upper-case, accent-free first names: the census lists above the cut, and the island's."""
    listed = _read("dist.male.first", FIRST_MIN_PERCENT) | _read("dist.female.first", FIRST_MIN_PERCENT)
    return listed | frozenset(fold(n) for n in name_parts().first_names)


@cache
def surnames() -> frozenset[str]:
    """Upper-case, accent-free surnames: the census list above the cut, and the island's."""
    return _read("dist.all.last", SURNAME_MIN_PERCENT) | frozenset(fold(n) for n in name_parts().surnames)


def is_first_name(word: str) -> bool:
    """True for a first name on the lists (a hyphenated one by its first part)."""
    low = word.casefold()
    if low in NEVER_A_FIRST_NAME or low in name_parts().particles or low in name_parts().titles:
        return False
    head = word.split("-")[0]
    return fold(head) in first_names()
