"""Places and organisations that the language model takes for people, from shipped data.

The word lists live in the catalogue's ``places/gazetteer.yaml`` (its sources are written at the
top of that file): Jersey and Guernsey parishes and places, UK local authorities and regions,
venues, public bodies, the words that open or close a street name, and heading or party
words ("Attendance", "the Appellant") that are never a name on their own. Only a whole span
matches, so "Hull" is a place while "John Hull" is still a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import regex
import yaml

from .catalogue_files import catalogue_file
from .errors import ConfigError

_FILE = Path("places") / "gazetteer.yaml"
_PLACE_SECTIONS = ("channel_islands", "venues", "uk_regions", "uk_local_authorities", "abroad")
_LEADING_ARTICLE = regex.compile(r"^(?:the|la|le|les|l['’])\s+", regex.IGNORECASE)
_POSSESSIVE = regex.compile(r"['’]s?$")


@dataclass(frozen=True)
class Gazetteer:
    places: frozenset[str]
    organisations: frozenset[str]
    street_starts: tuple[str, ...]  # "la rue ", "le clos ", "route ": the openers and their space
    street_closers: frozenset[str]  # "drive", "road"
    not_names: frozenset[str]  # "appellant", "attendance", "contact"
    organisation_names: regex.Pattern[str]  # where a body is named in running text ("Royal Courts of Justice")
    eponym_after: regex.Pattern[str]  # " Schedules", " order": right after a name, a thing named after someone


def fold(value: str) -> str:
    """Lower case, one space, straight apostrophes, "St." as "st", no possessive."""
    folded = " ".join(value.replace("’", "'").replace("St.", "St").casefold().split())
    return _POSSESSIVE.sub("", folded) if folded.endswith(("'s", "'")) else folded


def _words(raw: Any, path: Path, key: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise ConfigError(str(path), key, "a list of names")
    return [fold(x) for x in raw]




@cache
def gazetteer() -> Gazetteer:
    path = catalogue_file(_FILE, "gazetteer")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(str(path), "", f"the shipped gazetteer ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise ConfigError(str(path), "", "a mapping of place lists")
    places = {w for key in _PLACE_SECTIONS for w in _words(data.get(key), path, key)}
    streets = data.get("street_words")
    if not isinstance(streets, dict):
        raise ConfigError(str(path), "street_words", "a mapping with french_openers and english_closers")
    openers = _words(streets.get("french_openers"), path, "street_words.french_openers")
    return Gazetteer(
        places=frozenset(places),
        organisations=frozenset(_words(data.get("organisations"), path, "organisations")),
        street_starts=tuple(opener + " " for opener in openers),
        street_closers=frozenset(_words(streets.get("english_closers"), path, "street_words.english_closers")),
        not_names=frozenset(_words(data.get("not_names"), path, "not_names")),
        eponym_after=_eponym_after(_words(data.get("eponym_nouns"), path, "eponym_nouns")),
        organisation_names=_organisation_names(
            _words(data.get("organisations"), path, "organisations"),
            set(_words(data.get("organisations_also_common_words"), path, "organisations_also_common_words")),
        ),
    )


def _eponym_after(nouns: list[str]) -> regex.Pattern[str]:
    # A closing quote may follow ("a legally qualified ‘McKenzie friend’"), a possessive may not.
    # "Lloyd’s Rep": a law report series named after its publisher.
    nouns_alternation = "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in nouns)
    # "[Gerald] Eve LLP", "[Harding] Holmes Ltd": the first word of a firm's name, the model's span cut short.
    firm = r"^\s+(?:\p{Lu}[\p{L}&'’-]*\s+){1,2}(?:LLP|Ltd|Limited|plc|PLC|LLC|Inc)\b"
    return regex.compile(rf"^\)?\s+(?i:{nouns_alternation})(?![\w-]|['’]s\b)|^['’]s\s+(?:Law\s+)?Rep\b|{firm}")


def _organisation_names(names: list[str], common: set[str]) -> regex.Pattern[str]:
    # Capitalised as a name is ("Ofsted", "The National Archives"); never the everyday words.
    kept = sorted((n for n in names if n not in common), key=len, reverse=True)
    alternation = "|".join(regex.escape(n).replace(r"\ ", r"\s+") for n in kept)
    return regex.compile(rf"(?<![\w-])(?=\p{{Lu}})(?i:{alternation})(?![\w-])")


def organisation_mentions(text: str) -> list[tuple[int, int]]:
    """Where public bodies are named in ``text`` (start, end)."""
    return [m.span() for m in gazetteer().organisation_names.finditer(text)]


def names_a_thing(following: str) -> bool:
    """True when the text right after a name makes it a thing: "[Scott] Schedules", "[Anton Piller] order"."""
    return gazetteer().eponym_after.match(following) is not None


def ends_as_a_thing(value: str) -> bool:
    """ "Howlett Estates", "RSC Order", "Procedures Directives": the span's own last word makes it a thing."""
    words = value.split()
    return len(words) > 1 and names_a_thing(" " + words[-1])


def is_place(value: str) -> bool:
    folded = fold(value)
    return _listed(folded, _LEADING_ARTICLE.sub("", folded), gazetteer().places)


def _listed(folded: str, bare: str, names: frozenset[str]) -> bool:
    """The folded value, or it without a leading article ("the", "La"), is in ``names``."""
    return folded in names or bare in names


def _is_street(folded: str) -> bool:
    """ "La Rue de la Pointe", "Le Clos des Pas", "Route du Fort", "Cromwell Drive"."""
    words = folded.split()
    if len(words) < 2:
        return False
    g = gazetteer()
    return folded.startswith(g.street_starts) or words[-1] in g.street_closers


def not_a_person(value: str) -> bool:
    """True when the whole of ``value`` is a place, a street, an organisation or a heading word
    ("Attendance", "the Appellant": never a name alone). The value is folded once: this runs for
    every name the model or a pattern proposes."""
    folded = fold(value)
    bare = _LEADING_ARTICLE.sub("", folded)
    g = gazetteer()
    return (_listed(folded, bare, g.places) or _listed(folded, bare, g.organisations) or _is_street(folded)
            or bare in g.not_names)
