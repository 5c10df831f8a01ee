"""Which of spaCy's PERSON entities are names, and the name part of those that are.

The small English model calls some things people that are not: job titles ("Social
Worker"), Jersey parishes ("St Helier"), a phone number with "Tel" in front, a lone
initial. A false person costs a social worker's time on every letter, so they are
dropped here; a title in front of a name is cut off ("Social Worker Jane Doe" → "Jane Doe").
"""

from __future__ import annotations

import regex

from .. import gazetteer
from ..calendar_words import DAYS, MONTHS
from .name_mentions import NameMentions

JOB_TITLES = (
    "social worker", "senior social worker", "team manager", "service manager", "head of service",
    "practice manager", "family support worker", "support worker", "key worker", "case worker",
    "caseworker", "independent reviewing officer", "reviewing officer", "iro", "guardian",
    "children's guardian", "health visitor", "school nurse", "nurse", "midwife", "gp", "doctor",
    "consultant", "paediatrician", "psychologist", "therapist", "head teacher", "headteacher",
    "teacher", "designated safeguarding lead", "safeguarding lead", "police officer", "officer",
    "detective constable", "constable", "sergeant", "inspector", "solicitor", "advocate",
    "barrister", "judge", "magistrate", "manager", "director", "assistant director", "officer",
    "foster carer", "carer", "personal adviser", "youth worker", "duty worker", "duty social worker",
    "child", "mother", "father", "parent", "grandmother", "grandfather", "sibling", "the child",
    "mum", "dad", "mummy", "daddy", "nan", "nanny", "grandad", "grandma", "granny", "step-dad",
    "stepfather", "stepmother", "subject", "re", "dear", "regards", "thanks", "cheers",
    "email", "e-mail", "voicemail", "text", "phone", "tel", "mobile", "fax", "note", "notes", "ref",
    "fyi", "minutes", "agenda", "chronology", "yes", "no", "none", "unknown", "not known", "n/a",
)  # fmt: skip

PLACE_NAMES = (
    "st helier", "st brelade", "st saviour", "st clement", "st lawrence", "st peter", "st ouen",
    "st john", "st martin", "st mary", "st peter port", "st sampson", "st andrew", "trinity",
    "grouville", "gorey", "jersey", "guernsey", "alderney", "sark", "isle of man", "douglas",
    "ramsey", "peel", "castletown", "st aubin", "les quennevais", "first tower", "la rocque",
    "leeds", "london", "manchester", "birmingham", "bristol", "cardiff", "sheffield",
)  # fmt: skip

_TITLE_PREFIX = regex.compile(
    r"^(?:(?:" + "|".join(regex.escape(t) for t in sorted(JOB_TITLES, key=len, reverse=True)) + r")\s+)+",
    regex.IGNORECASE,
)
_DROP_WHOLE = frozenset(t.lower() for t in (*JOB_TITLES, *PLACE_NAMES))
_PLACE_PREFIX = regex.compile(r"^(?:st\.?|saint)\s", regex.IGNORECASE)
_INITIALS_ONLY = regex.compile(r"^(?:[A-Z]\.?\s*){1,3}$")
_HAS_LETTER = regex.compile(r"\p{L}")
_EDGE_JUNK = regex.compile(r"^[\s\"'“”‘’(\[,:;.\-]+|[\s\"'“”‘’)\],:;\-]+$")
_POSSESSIVE = regex.compile(r"['’]s$")
_NOT_A_NAME_WORD = regex.compile(
    r"\b(?:road|street|avenue|school|academy|college|council|court|team|service|department|hospital|"
    r"clinic|surgery|practice|centre|center|house|cottage|lodge|farm|law|solicitors|police|homes|bank|"
    r"trust|ltd|plc|llp|rue|route|chemin|clos)\b",
    regex.IGNORECASE,
)


def not_a_name_word(value: str) -> bool:
    """True when ``value`` holds a word of a place or an organisation ("road", "school")."""
    return _NOT_A_NAME_WORD.search(value) is not None or any(w in _COMMON_CAPITALISED for w in value.lower().split())


def name_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The part of ``text[start:end]`` that is a person's name, or None when it is not one."""
    value = text[start:end]
    if "\n" in value:
        # A name does not run over a line break: "Jane Doe\nSocial Worker" is "Jane Doe".
        end = start + value.index("\n")
        value = text[start:end]
    if any(ch.isdigit() for ch in value) or "@" in value:
        return None
    junk = _EDGE_JUNK.search(value)
    while junk is not None and junk.group():
        if junk.start() == 0:
            start += junk.end()
        else:
            end -= len(junk.group())
        value = text[start:end]
        junk = _EDGE_JUNK.search(value) if value else None
    possessive = _POSSESSIVE.search(value)
    if possessive:
        end -= len(possessive.group())
        value = text[start:end]
    prefix = _TITLE_PREFIX.match(value)
    if prefix:
        start += prefix.end()
        value = text[start:end]
    if not value or not _HAS_LETTER.search(value):
        return None
    folded = " ".join(value.lower().split())
    if folded in _DROP_WHOLE or _INITIALS_ONLY.match(value) or len(folded) < 2:
        return None
    if _PLACE_PREFIX.match(value) and len(folded.split()) <= 3:
        return None  # "St Helier", "St Peter Port": parishes, not saints in a letter
    if _NOT_A_NAME_WORD.search(value):
        return None
    if gazetteer.not_a_person(value):
        return None  # a borough, parish, street, venue or public body (places/gazetteer.yaml)
    return start, end


_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "master", "aunt", "uncle", "pc", "ds", "dc", "sgt"})
# Accented and compound words stand for their person too (Inês, Gonçalves, Brocq-Vibert, O'Neill).
_NAME_WORD = regex.compile(r"^(?:\p{Lu}['’])?\p{Lu}\p{Ll}+(?:\p{Lu}\p{Ll}+)?(?:['’\-]\p{Lu}?\p{Ll}+)*$")
_COMMON_CAPITALISED = frozenset(
    [
        "the",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "they",
        "then",
        "when",
        "where",
        "what",
        "which",
        "while",
        "with",
        "will",
        "would",
        "dear",
        "please",
        "thank",
        "thanks",
        "best",
        "kind",
        "yours",
        "regards",
        "young",
        "little",
        "new",
        "old",
        "good",
        "great",
        *DAYS,
        *MONTHS,
    ]
)


def name_words(names: list[str]) -> set[str]:
    """The words of found names that may stand alone for the person later ("Grace" for Grace Nwosu)."""
    words: set[str] = set()
    for name in names:
        for word in name.split():
            word = word.rstrip(".,")
            low = word.lower()
            ordinary = low in _HONORIFICS or low in _COMMON_CAPITALISED or low in _DROP_WHOLE
            if len(word) >= 3 and _NAME_WORD.match(word) and not ordinary:
                words.add(word)
    return words


def mentions(words: set[str]) -> NameMentions | None:
    """Every whole-word, same-case mention of those words (possessive allowed)."""
    if not words:
        return None
    return NameMentions(words)
