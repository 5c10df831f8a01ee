"""The words names are built from (particles, titles, record labels), read once from the
catalogue's ``names/name_parts.yaml``.

One list for the three places that read names: the NER post-processing, the case index and
the addressee reader. Kept as data so a deployment can see, and the docs can cite, where each
word comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .catalogue_files import catalogue_file
from .errors import ConfigError

_FILE = Path("names") / "name_parts.yaml"


@dataclass(frozen=True)
class NameParts:
    particles: frozenset[str]  # lower case: "le", "de", "dos", "van"...
    apostrophe_prefixes: frozenset[str]  # "o" of O'Neill, "d" of D'Souza
    titles: frozenset[str]  # "mr", "mrs", "dr"...
    record_labels: tuple[str, ...]  # "surname", "child's name"..., longest first
    first_names: tuple[str, ...]  # the island's first names the census frequency lists lack
    surnames: tuple[str, ...]  # the island's family names the census surname list lacks ("renouf")




def _words(data: dict[str, object], key: str, path: Path) -> list[str]:
    raw = data.get(key)
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise ConfigError(str(path), key, "a list of words")
    return [x.strip().casefold() for x in raw]


@cache
def name_parts() -> NameParts:
    path = catalogue_file(_FILE, "name parts")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), "", f"valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise ConfigError(str(path), "", "a mapping of particles, apostrophe_prefixes, titles, record_labels")
    return NameParts(
        particles=frozenset(_words(data, "particles", path)),
        apostrophe_prefixes=frozenset(_words(data, "apostrophe_prefixes", path)),
        titles=frozenset(_words(data, "titles", path)),
        record_labels=tuple(sorted(set(_words(data, "record_labels", path)), key=len, reverse=True)),
        first_names=tuple(_words(data, "first_names", path)),
        surnames=tuple(_words(data, "surnames", path)),
    )


def _forms(words: frozenset[str] | tuple[str, ...]) -> list[str]:
    """Each word as written in lower case, capitalised and in capitals, longest first."""
    forms = {f for w in words for f in (w, w[:1].upper() + w[1:], w.upper())}
    return sorted(forms, key=lambda f: (-len(f), f))


@cache
def name_macros() -> dict[str, str]:
    """Pattern macros for the catalogue: ``%TITLE%``, ``%PARTICLE%`` and ``%LABEL%``."""
    parts = name_parts()
    titles = sorted({f for t in parts.titles for f in (t[:1].upper() + t[1:], t.upper())}, key=lambda f: (-len(f), f))
    labels = [r"[ \t]+".join(re.escape(w) for w in label.split()) for label in parts.record_labels]
    return {
        "%TITLE%": "(?:" + "|".join(re.escape(t) for t in titles) + ")",
        "%PARTICLE%": "(?:" + "|".join(re.escape(p) for p in _forms(parts.particles)) + ")",
        "%LABEL%": "(?i:" + "|".join(labels) + ")",
    }
