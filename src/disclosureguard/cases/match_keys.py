"""Normal forms of text and of known values, so that matching ignores case, spacing and
punctuation: both sides become runs of letters and digits ("tokens"), case-folded and with
accents removed, and a value's key is its tokens joined with nothing between them.

Joining without a separator is what makes `9434765919` match `943 476 5919` and `JE24AB`
match `je2 4ab`; matching whole tokens is what keeps `Lily` from matching `Lilyana`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from ..calendar_words import MONTH_NUMBER, MONTHS
from ..name_parts import name_parts

_TOKEN = re.compile(r"[^\W_]+")
# A turn: a letter right after a digit ("12m" of "12march2014", "je3 2b" of a postcode).
_TURN = re.compile(r"(?<=\d)[^\W\d_]")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)
# Words that belong to a surname when they come before its last word (Le Brocq, van der Berg,
# dos Santos): the catalogue's particles (names/name_parts.yaml), plus "st" (St John) and the
# apostrophe prefixes, since O'Brien and D'Arcy split into two tokens at the apostrophe.
_SURNAME_PARTICLES = name_parts().particles | name_parts().apostrophe_prefixes | {"st"}


def fold(token: str) -> str:
    """Case-fold and strip accents: `Zoë` and `ZOE` are the same token."""
    if token.isascii():
        return token.lower()
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(normal form, start, end) of every run of letters and digits in ``text``."""
    if text.isascii():  # each token folded is the token in the text lower-cased
        return [(m.group(), *m.span()) for m in _TOKEN.finditer(text.lower())]
    return [(fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def turns(normal_form: str, since: int = 0) -> list[int]:
    """Where a letter follows a digit in a normal form, at or after ``since``.

    A key's prefix up to and including each turn is kept in the index, so that a run of a
    document's tokens that turns where no key does is not extended further: no key can start
    with it, whatever the spacing ("12March" or "12 March"), because the prefix is read from
    the joined form.
    """
    return [m.start() for m in _TURN.finditer(normal_form, since)]


TurnShape = tuple[tuple[int, ...], bool, bool]  # (turns inside, starts with a letter, ends with a digit)
LETTERS_ONLY: TurnShape = ((), True, False)  # the very shape turn_shape gives a word of letters
_NUMBER_SHAPE: TurnShape = ((), False, True)


def turn_shape(token: str) -> TurnShape:
    """A token's turns and ends, as ``turns`` reads them in a run the token is part of."""
    if token.isalpha():  # letters only, most words: no digit in it (\d is Unicode Nd)
        return LETTERS_ONLY
    if token.isdecimal():  # exactly the characters \d matches
        return _NUMBER_SHAPE
    return tuple(turns(token)), bool(_LETTER.match(token)), bool(_DIGIT.fullmatch(token[-1:]))


def words(text: str) -> list[str]:
    return [t for t, _, _ in tokens(text)]


def compact(text: str) -> str:
    return "".join(words(text))


def surname_start(name_words: list[str]) -> int:
    """Index of the first word of the surname: the last word and any particles before it."""
    i = len(name_words) - 1
    while i > 1 and name_words[i - 1].casefold() in _SURNAME_PARTICLES:
        i -= 1
    return i


def display_name(name: str) -> str:
    """First name and surname only (middle names dropped): all the index keeps in clear."""
    parts = name.split()
    if len(parts) <= 2:
        return " ".join(parts)
    return " ".join([parts[0], *parts[surname_start(parts) :]])


def is_particle(word: str) -> bool:
    """A surname particle ("de", "Le", "dos") as a token or a word."""
    return fold(word) in _SURNAME_PARTICLES


def name_keys(name: str) -> tuple[list[str], list[str], list[str]]:
    """(full-name keys, first-name keys, surname keys) of one name as written.

    A full name is also known surname first ("SMITH Lily", "Smith, Lily"), as records write it.
    A hyphenated or double first name is known whole ("Lily-Mae") and by its first word.
    A surname is one unit with its particles and compounds: "de Sousa" and "Le Brocq-Vibert"
    are known whole, without their particles ("Sousa", "Brocq-Vibert"), and a compound by each
    of its parts ("Le Brocq", "Vibert"), as letters shorten them; the parts are lone names, so
    they still need corroboration.
    """
    parts = name.split()
    ws = words(name)
    if len(parts) < 2:
        return [], ["".join(ws)] if ws else [], []
    s = surname_start(parts)
    first_words, surname_words = parts[:s], parts[s:]
    first = [t for w in first_words for t in words(w)]
    surname = [t for w in surname_words for t in words(w)]
    if not first or not surname:
        return ["".join(ws)], [], []
    bare_words = [w for w in surname_words if not is_particle(w)] or surname_words
    bare = [t for w in bare_words for t in words(w)]
    full = {"".join(first + surname), "".join(surname + first), "".join(first + bare), "".join(bare + first)}
    firsts = ["".join(first[:1])]
    if len(first) > 1:
        firsts.append("".join(first))
    surnames = {"".join(surname), "".join(bare)}
    last = surname_words[-1]
    if "-" in last.strip("-"):
        # A double-barrelled surname is shortened to either half: "Le Brocq" or "Vibert".
        pieces = [p for p in last.split("-") if words(p)]
        particles = [t for w in surname_words[:-1] for t in words(w)]
        surnames.add("".join(particles + words(pieces[0])))
        surnames.update("".join(words(p)) for p in pieces)
    return sorted(full), firsts, sorted(surnames)


def split_address(address: str) -> tuple[list[str], str | None]:
    """(address lines without the postcode, the postcode) of an address as written."""
    lines = [p.strip() for p in re.split(r"[,\n]", address) if p.strip()]
    postcode = None
    if lines:
        m = POSTCODE.search(lines[-1])
        if m:
            postcode = m.group(0)
            rest = (lines[-1][: m.start()] + lines[-1][m.end() :]).strip()
            lines = lines[:-1] + ([rest] if rest else [])
    return lines, postcode


def address_keys(address: str) -> tuple[list[str], str | None]:
    """(keys of the address and of its first lines, postcode key).

    An address is matched whole, and also by its first line(s) without the postcode: a letter
    writes "Flat 3, 8 Seaview Terrace" or "8 Seaview Terrace, St Brelade". Runs start at the
    first line or at the street line (the first starting with a house number, after a flat
    or a house name) and always include the street line; a run of one word is too loose to
    be a match on its own.
    """
    lines, postcode = split_address(address)
    keys: list[str] = []
    if lines:
        # The street line starts with the house number; a flat or a house name may come first.
        street = next((i for i, line in enumerate(lines) if line[:1].isdigit()), 0)
        for begin in sorted({0, street}):
            for end in range(street + 1, len(lines) + 1):
                run = lines[begin:end]
                ws = [w for line in run for w in words(line)]
                if len(ws) >= 2:
                    keys.append("".join(ws))
                    if end == len(lines) and postcode:
                        keys.append("".join(ws) + compact(postcode))
    full = compact(address)
    if full and full not in keys:
        keys.append(full)
    return keys, compact(postcode) if postcode else None


def phone_keys(phone: str) -> list[str]:
    """The digit strings a UK phone number is written as: 07700 900123, +44 7700 900123,
    +44 (0)7700 900123."""
    digits = "".join(c for c in phone if c.isdigit())
    international = phone.lstrip().startswith(("+", "00"))
    if international:
        digits = digits[2:] if digits.startswith("00") else digits
        if not digits.startswith("44"):
            return [digits, "00" + digits] if digits else []
        digits = "0" + digits[2:].lstrip("0")
    if not digits.startswith("0"):
        return [digits] if digits else []
    national = digits[1:]
    return [digits, "44" + national, "440" + national, "0044" + national]


def date_keys(d: date) -> list[str]:
    """Compact keys of the UK day-first ways a date is written: 02/03/2014, 2.3.14,
    2 March 2014, 2nd March 2014, 2nd of Mar 2014, March 2nd 2014..."""
    days = {str(d.day), f"{d.day:02d}"}
    months = {str(d.month), f"{d.month:02d}"}
    years = {str(d.year), f"{d.year % 100:02d}"}
    keys = {dd + mm + yy for dd in days for mm in months for yy in years}
    suffix = "th" if 10 <= d.day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
    day_words = days | {str(d.day) + suffix}
    for dd in day_words:
        for mm in month_words(d):
            for yy in years:
                keys.add(dd + mm + yy)
                keys.add(dd + "of" + mm + yy)
                keys.add(mm + dd + yy)
    return sorted(keys)


def month_words(d: date) -> list[str]:
    """The words a date written month first ("March 2nd 2014") starts with."""
    name = MONTHS[d.month - 1]
    return [name, name[:3]] + (["sept"] if d.month == 9 else [])


_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4}|\d{2})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?,?\s+(\d{4}|\d{2})$", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}|\d{2})$", re.IGNORECASE)


def parse_uk_date(text: str) -> list[date]:
    """Every date a day-first UK date as written can mean (a two-digit year: 19yy or 20yy)."""
    text = " ".join(text.split())
    m = _NUMERIC_DATE.match(text)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
    else:
        m = _DAY_MONTH_YEAR.match(text)
        if m:
            day, month_word, year = int(m.group(1)), m.group(2), m.group(3)
        else:
            m = _MONTH_DAY_YEAR.match(text)
            if not m:
                return []
            month_word, day, year = m.group(1), int(m.group(2)), m.group(3)
        if month_word.casefold() not in MONTH_NUMBER:
            return []
        month = MONTH_NUMBER[month_word.casefold()]
    years = [int(year)] if len(year) == 4 else [1900 + int(year), 2000 + int(year)]
    out = []
    for y in years:
        try:
            out.append(date(y, month, day))
        except ValueError:
            continue
    return out
