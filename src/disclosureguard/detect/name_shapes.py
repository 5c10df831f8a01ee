"""Names as the island writes them: particles, compounds, apostrophes, accents, capitals.

The small English model misses or mislabels exactly the names a Jersey social care letter is
full of: "Noah du Feu" comes back as a WORK_OF_ART, "Chloé de Gruchy" as an ORG, "Santos"
alone out of "Ana dos Santos". These named steps, each a small pure function over the text,
repair what the model returned:

- ``widen``: a PERSON span grows over the particles and first name before it ("Ana dos" +
  "Santos") and over a hyphenated or particle-joined surname after it ("Le Brocq" + "-Vibert");
- ``relabel``: an entity of another label is a PERSON when its words have the shape only a
  name has (a capitalised first name, a surname particle, a capitalised surname; or a title
  in front), and none of its words is a place or organisation word.

The particles and titles come from the catalogue's ``names/name_parts.yaml``.
"""

from __future__ import annotations

from functools import cache

import regex

from ..name_parts import name_parts
from .name_frequencies import is_first_name

# Compiled once: these run for every finding of every scan.
_SPACES_OR_HYPHENS = regex.compile(r"[\s\-]+")
_APOSTROPHE_CAPITALS = regex.compile(r"^\p{Lu}['’]\p{Lu}")

# Labels the small model gives names it does not know: checked for a name's shape.
RELABEL = frozenset({"ORG", "WORK_OF_ART", "FAC", "GPE", "NORP", "PRODUCT", "LOC", "EVENT", "LAW"})

# A word of a name: capitalised (Zoë, Gonçalves, McCarthy, O'Neill, Kai-James) or all capitals.
_WORD = r"(?:\p{Lu}['’])?(?:\p{Lu}\p{Ll}+(?:\p{Lu}\p{Ll}+)?|\p{Lu}{2,})(?:-(?:\p{Lu}\p{Ll}+|\p{Lu}{2,}))*"
_WORD_RE = regex.compile(rf"^{_WORD}$")
# Words that make a capitalised run a place or an organisation, not a person.
_NOT_NAME = frozenset(
    [
        "road",
        "street",
        "avenue",
        "lane",
        "hill",
        "rue",
        "route",
        "chemin",
        "clos",
        "ruette",
        "mont",
        "school",
        "academy",
        "college",
        "council",
        "court",
        "team",
        "service",
        "services",
        "department",
        "hospital",
        "clinic",
        "surgery",
        "practice",
        "centre",
        "center",
        "house",
        "cottage",
        "lodge",
        "farm",
        "manor",
        "hotel",
        "maison",
        "bank",
        "trust",
        "ltd",
        "plc",
        "llp",
        "police",
        "homes",
        "church",
        "chapel",
        "parish",
        "club",
        "society",
        "société",
        "group",
        "association",
        "foundation",
        "charity",
        "board",
        "committee",
        "unit",
        "ward",
        "office",
        "government",
        "states",
        "island",
        "jersey",
        "guernsey",
        "france",
        "portugal",
        "madeira",
        "poland",
        "ireland",
        "england",
        "britain",
        "london",
        "paris",
        "lisbon",
        "st",
        "saint",
        "park",
        "gardens",
        "square",
        "place",
        "terrace",
        "close",
        "drive",
        "way",
        "estate",
        "court",
        "villa",
        "apartments",
        "flats",
        "tower",
        "fort",
        "castle",
        "harbour",
        "bay",
        "beach",
        "port",
        "the",
        "of",
        "and",
        "for",
    ]
)


@cache
def _particle_alternation() -> str:
    parts = sorted(name_parts().particles, key=len, reverse=True)
    return "(?:" + "|".join(regex.escape(p) for p in parts) + ")"


@cache
def _before_pattern() -> regex.Pattern[str]:
    """A first name and particles ending right where a PERSON span starts ("Ana dos ")."""
    return regex.compile(rf"(?<![\w'’-]){_WORD}(?:[ \t]+(?i:{_particle_alternation()}))+[ \t]+$")


_WORD_AFTER = regex.compile(rf"[ \t]+{_WORD}(?![\w'’-])")


@cache
def _first_name_before() -> regex.Pattern[str]:
    return regex.compile(rf"(?<![\w'’-]){_WORD}[ \t]+$")


@cache
def _after_pattern() -> regex.Pattern[str]:
    """A compound or particle-joined surname going on after a PERSON span ("-Vibert", " de Gruchy")."""
    return regex.compile(
        rf"(?:-(?:\p{{Lu}}\p{{Ll}}+|\p{{Lu}}{{2,}})|(?:[ \t]+(?i:{_particle_alternation()}))+[ \t]+{_WORD})(?![\w'’-])"
    )


def _is_particle(word: str) -> bool:
    return word.casefold() in name_parts().particles


def _is_title(word: str) -> bool:
    return word.rstrip(".").casefold() in name_parts().titles


def widen(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` grown over the particles and first name before a surname the model
    found alone, and over the rest of a compound surname after it."""
    window = text[max(0, start - 60) : start]
    first_word = text[start:end].split(maxsplit=1)[:1]
    # A span starting with its particle ("Le Brocq") takes the first name before it.
    before = _first_name_before() if first_word and _is_particle(first_word[0]) else _before_pattern()
    m = before.search(window)
    if m is not None and not _blocked(m.group()):
        start -= len(window) - m.start()
    last_word = text[start:end].rsplit(maxsplit=1)[-1:]
    if last_word and _is_particle(last_word[0]):
        # A span ending on a particle ("Summer Le") takes the surname after it.
        rest = _WORD_AFTER.match(text, end)
        if rest is not None and not _blocked(rest.group()):
            end = rest.end()
    while True:
        m2 = _after_pattern().match(text, end, min(len(text), end + 60))
        if m2 is None or _blocked(m2.group()):
            break
        end = m2.end()
    return start, end


def _blocked(fragment: str) -> bool:
    """A fragment holding a place or organisation word, or a title alone, is not part of a name."""
    words = [w for w in _SPACES_OR_HYPHENS.split(fragment) if w]
    return any(w.casefold() in _NOT_NAME and not _is_particle(w) for w in words)


def name_shaped(value: str) -> bool:
    """True when ``value`` reads as a person's name by its shape alone.

    Title + name ("Mr de Sousa"); or two to five words, each a name word or a particle, with a
    particle between a first name and a surname ("Noah du Feu", "Kai-James Le Brocq-Vibert"),
    an apostrophe prefix (O'Neill, D'Souza), a hyphenated first name, or an accented letter
    (Inês Gonçalves, Chloé de Gruchy) — signs an organisation or a place seldom has.
    """
    words = value.split()
    if not 2 <= len(words) <= 5:
        return False
    if any(w.casefold().strip(".,") in _NOT_NAME and not _is_particle(w) for w in words):
        return False
    titled = _is_title(words[0])
    body = words[1:] if titled else words
    if not body or not _WORD_RE.match(body[-1]) or not (_WORD_RE.match(body[0]) or (titled and _is_particle(body[0]))):
        return False
    if not all(_WORD_RE.match(w) or _is_particle(w) for w in body):
        return False
    if titled:
        return True
    if len(body) < 2:
        return False
    inner_particle = any(_is_particle(w) for w in body[1:-1])
    apostrophe = any(_APOSTROPHE_CAPITALS.match(w) for w in body)
    hyphen_first = "-" in body[0]
    # An accent alone is a weak sign (Haute Vallée is a school): the first name must be a known one.
    accented = any(not w.isascii() for w in body) and is_first_name(body[0])
    return inner_particle or apostrophe or hyphen_first or accented


def relabel(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of a non-PERSON entity that is in fact a name, or None."""
    value = text[start:end]
    if "\n" in value:
        return None
    return (start, end) if name_shaped(value) else None


@cache
def _record_name_pattern() -> regex.Pattern[str]:
    """A name at the start of a record (line start, after a label's colon, a semicolon, a
    bullet or a table cell), then only a comma, a tab, a bar or an opening bracket."""
    particle = _particle_alternation()
    name = rf"(?P<name>{_WORD}(?:[ \t]+(?:(?i:{particle})[ \t]+){{0,2}}{_WORD}){{1,3}})"
    # After a label, a bullet, a list number, a semicolon or a cell: any field separator. At a
    # bare line start only a cell separator (a tab or a bar), since "Visited Tom Le Cornu, 14/07"
    # begins a sentence, not a record.
    return regex.compile(
        rf"(?:(?<=[:;|\t•*]|\d[.)]|(?:^|\n)[ \t]*[-–])[ \t]*{name}[ \t]*(?:,|\t|\||\()"
        rf"|(?:^|(?<=\n))[ \t]*{name}[ \t]*(?:\t|\|))[ \t]*$",
    )


def record_name_before(text: str, start: int) -> bool:
    """True when a person's name ends a record line's first field just before ``start``
    ("Referral: Tom Le Cornu, " before "14/07/2011")."""
    m = _record_name_pattern().search(text, max(0, start - 100), start)
    if m is None:
        return False
    words = m.group("name").split()
    from .persons import JOB_TITLES, PLACE_NAMES, not_a_name_word

    folded = " ".join(w.casefold() for w in words)
    if folded in JOB_TITLES or folded in PLACE_NAMES or not_a_name_word(folded):
        return False
    return not any(w.casefold() in _NOT_NAME and not _is_particle(w) for w in words)
