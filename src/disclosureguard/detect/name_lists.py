"""First names and surnames by frequency: evidence for PERSON where the model is silent.

The small English model misses names in lists, in CAPITALS and standing alone ("Bev",
"Harvey", "Zara Khan | UPN ..."). A capitalised word that is a common first name is such
evidence; followed by a capitalised surname it is a full name. The lists are the US Census
1990 frequency lists shipped by the ``names`` package (MIT licence; the Census Bureau's data
is public domain), cut at a frequency so that rare entries (which include ordinary words)
stay out, plus the island's first names the 1990 census lacks, kept in the catalogue
(``names/name_parts.yaml``, ``first_names``). Nothing is downloaded.

Named steps, each small: ``first_names``/``surnames`` (the lists), ``list_names`` (the spans).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources

import regex

from ..name_parts import name_parts
from .name_shapes import widen

FIRST_MIN_PERCENT = 0.002  # of the population: about 1 in 50,000 people has the name
SURNAME_MIN_PERCENT = 0.001
FULL_SCORE = 0.7  # a listed first name and a capitalised surname
ALONE_SCORE = 0.55  # a listed first name standing alone

# Capitalised words that are first names in the census lists but, in a letter, most often
# something else: months, days, seasons, verbs and nouns at a sentence start. Followed by a
# listed surname they are names again ("Summer Le Breton", "Will Smith").
_ORDINARY = frozenset(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
     "summer", "autumn", "winter", "spring", "will", "mark", "bill", "grant", "frank", "major", "justice",
     "hope", "faith", "joy", "rose", "guy", "art", "dean", "sterling", "page", "chance", "christian", "love",
     "king", "young", "long", "way", "case", "lane", "hill", "wood", "field", "ford", "park", "green",
     "white", "black", "brown", "gray", "grey", "rich", "early", "ray", "ward", "bishop", "deacon")
)  # fmt: skip
# Words on the census lists that are never a first name in a letter.
_NEVER = frozenset(
    ("said", "else", "even", "ever", "an", "in", "so", "do", "to", "my", "me", "we", "be", "see", "al", "ma",
     "pa", "man", "jersey", "guernsey", "england", "tel", "care", "child", "children", "family", "social",
     "service", "services", "council", "report", "review", "section", "order", "school", "health", "police",
     "team", "house", "home", "office", "centre", "street", "road", "date", "dear", "kind", "best", "yours",
     "regards", "thanks", "please", "thank", "ok", "yes", "no", "court", "lord", "carer", "roman", "catholic",
     "christian", "islam", "muslim", "jewish", "hindu", "sikh", "baptist", "methodist", "anglican", "royal",
     "star", "general", "judge", "justice", "queen", "prince", "princess", "state", "states", "island")
)  # fmt: skip
# A capitalised or all-capitals word, possessive allowed ("Harvey's").
_WORD = regex.compile(r"(?<![\w'’-])(?:\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?|\p{Lu}{2,})(?=['’]s\b|(?![\w'’-]))")
_NEXT = regex.compile(
    r"[ \t]+((?:\p{Lu}['’])?(?:\p{Lu}\p{Ll}+(?:\p{Lu}\p{Ll}+)?(?:-\p{Lu}\p{Ll}+)?|\p{Lu}{2,}))(?![\w'’-])"
)
# A capitalised word (not a title, not after a sentence's end) right before a lone first name.
_CAPITALISED_BEFORE = regex.compile(r"(?<=[\p{Ll},][ \t]+)\p{Lu}\p{Ll}+[ \t]+$")
_PLACE_BEFORE = regex.compile(r"(?i:\b(?:st|saint|mount|lake|port|fort|cape|the)\.?[ \t]+)$")
_NOT_NAME_AFTER = frozenset(
    ("road", "street", "avenue", "lane", "close", "drive", "way", "place", "terrace", "square", "gardens", "park",
     "school", "college", "academy", "house", "centre", "center", "court", "hospital", "clinic", "surgery",
     "practice", "ward", "unit", "team", "service", "services", "council", "trust", "hall", "church", "chapel",
     "bay", "harbour", "hill", "estate", "farm", "cottage", "lodge", "manor", "homes", "group", "report", "act",
     "review", "plan", "order", "day", "week", "month", "year", "primary", "secondary", "nursery", "university",
     "ltd", "limited", "plc", "llp", "and", "of", "the", "catholic", "protestant", "orthodox", "british",
     "english", "irish", "scottish", "welsh", "polish", "portuguese", "french", "romanian", "worker", "workers",
     "manager", "officer", "nurse", "visitor", "teacher", "social", "services", "isle", "courts", "research",
     "contracts", "insurance", "solicitors", "chambers", "associates", "partners", "holdings", "consulting",
     "capital", "investments", "bank", "law", "company", "foundation", "association", "society", "club",
     "estates", "properties", "developments", "homes", "awards", "award", "fund", "network", "project")
)  # fmt: skip


def _fold(word: str) -> str:
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
    return listed | frozenset(_fold(n) for n in name_parts().first_names)


@cache
def surnames() -> frozenset[str]:
    """Upper-case, accent-free surnames: the census list above the cut, and the island's."""
    return _read("dist.all.last", SURNAME_MIN_PERCENT) | frozenset(_fold(n) for n in name_parts().surnames)


def is_first_name(word: str) -> bool:
    """True for a first name on the lists (a hyphenated one by its first part)."""
    low = word.casefold()
    if low in _NEVER or low in name_parts().particles or low in name_parts().titles:
        return False
    head = word.split("-")[0]
    return _fold(head) in first_names()


def _surname_follows(text: str, end: int) -> bool:
    """A listed surname, or a particle and a capitalised word, right after ``end``."""
    nxt = _NEXT.match(text, end)
    if nxt is None:
        return False
    following = nxt.group(1)
    if following.casefold() in name_parts().particles:
        return _NEXT.match(text, nxt.end()) is not None
    low = following.casefold()
    return low not in _NEVER and low not in _NOT_NAME_AFTER and _fold(following) in surnames()


def list_names(text: str) -> list[tuple[int, int, float]]:
    """(start, end, score) of names the frequency lists vouch for.

    A listed first name followed by a capitalised word (not a street, school or team word) is
    a full name, widened over particles and compounds ("Summer Le Breton"); a listed first name
    alone is a name when written with a capital and not in capitals. In CAPITALS, both the
    first name and the surname must be listed ("JACK THOMPSON"), since headings are capitals.
    """
    out: list[tuple[int, int, float]] = []
    pos = 0
    for m in _WORD.finditer(text):
        if m.start() < pos:
            continue
        word = m.group()
        if not is_first_name(word):
            continue
        if word.casefold() in _ORDINARY and not _surname_follows(text, m.end()):
            continue  # "May", "Will", "Summer" alone; "Summer Le Breton" is a name
        if _PLACE_BEFORE.search(text, max(0, m.start() - 8), m.start()):
            continue  # "St Helen", "the Jordan"
        if text.startswith(("'s", "’s"), m.end()):
            after = _NEXT.match(text, m.end() + 2)
            if after is not None and after.group(1).casefold() in _NOT_NAME_AFTER:
                continue  # "Noble's Hospital"
        caps = word.isupper()
        nxt = _NEXT.match(text, m.end())
        if nxt is not None:
            following = nxt.group(1)
            if following.casefold() in _NOT_NAME_AFTER:
                pos = nxt.end()
                continue  # "Victoria Road", "Grace Church"
            if caps and not (following.isupper() and _fold(following) in surnames()):
                continue
            if not caps and (following.isupper() or not _surname_follows(text, m.end())):
                # An unlisted capitalised word after a first name may be a firm ("Lincoln
                # Contracts"): the first name alone is the evidence.
                following = ""
            if following:
                start, end = widen(text, m.start(), nxt.end())
                out.append((start, end, FULL_SCORE))
                pos = end
                continue
        if caps or _CAPITALISED_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            continue  # the end of a longer capitalised run: "Haywards Heath", "Blue Diamond"
        start, end = widen(text, m.start(), m.end())  # "Rafael" + " dos Santos"
        out.append((start, end, FULL_SCORE if end > m.end() else ALONE_SCORE))
        pos = end
    return out
