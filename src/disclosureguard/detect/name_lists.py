"""First names and surnames by frequency: evidence for PERSON where the model is silent.

The small English model misses names in lists, in CAPITALS and standing alone ("Bev",
"Harvey", "Zara Khan | UPN ..."). A capitalised word that is a common first name is such
evidence; followed by a capitalised surname it is a full name.

The lists themselves (the census frequency lists and the island's first names) are read in
``name_frequencies``; this module finds the spans (``list_names``), widening them with
``name_shapes``.
"""

from __future__ import annotations

import regex

from ..name_parts import name_parts
from .name_frequencies import NEVER_A_FIRST_NAME, fold, is_first_name, surnames
from .name_shapes import widen

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


def _surname_follows(text: str, end: int) -> bool:
    """A listed surname, or a particle and a capitalised word, right after ``end``."""
    nxt = _NEXT.match(text, end)
    if nxt is None:
        return False
    following = nxt.group(1)
    if following.casefold() in name_parts().particles:
        return _NEXT.match(text, nxt.end()) is not None
    low = following.casefold()
    return low not in NEVER_A_FIRST_NAME and low not in _NOT_NAME_AFTER and fold(following) in surnames()


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
            if caps and not (following.isupper() and fold(following) in surnames()):
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
