"""The values to remove, and where they stand in a piece of text.

Redaction works by value, not by offset: every place a removed value appears (in the
body, a header, a field code, a file name) goes, because a value left anywhere is a
leak. Matching ignores case and tolerates the spacing and punctuation a document may put
between the characters of a value ("943 476 5919", "943-476-5919", "Lily\\nSmith",
letter-spaced PDF text), but not letters or digits either side of it ("Lily" is not in
"Lilyanne").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

# Up to three non-alphanumeric characters between two characters of a value.
PLAIN_GAP = r"[\W_]{0,3}"
# In HTML source a tag or a character reference may stand between them too.
HTML_GAP = r"(?:[^\w<&]|_|<[^<>]{0,300}>|&#?\w{1,8};){0,6}"
_MIN_CHARS = 2


@dataclass(frozen=True)
class Target:
    """One value to remove and the entity type it was found as."""

    value: str
    entity_type: str


@dataclass(frozen=True)
class Occurrence:
    """Where one target's value stands in a text."""

    start: int
    end: int
    target: Target


def alnum_key(value: str) -> str:
    return "".join(c for c in value.casefold() if c.isalnum())


def unique_targets(targets: Iterable[Target]) -> list[Target]:
    """One target per value (by its letters and digits), longest first so it wins an overlap."""
    seen: dict[str, Target] = {}
    for t in targets:
        key = alnum_key(t.value)
        if len(key) >= _MIN_CHARS and key not in seen:
            seen[key] = t
    return sorted(seen.values(), key=lambda t: -len(alnum_key(t.value)))


class ValueMatcher:
    """Finds every occurrence of any of the targets in a text."""

    def __init__(self, targets: Iterable[Target], gap: str = PLAIN_GAP) -> None:
        self.targets = unique_targets(targets)
        self._by_group: dict[str, Target] = {}
        parts = []
        for n, t in enumerate(self.targets):
            chars = [c for c in t.value if c.isalnum()]
            group = f"v{n}"
            self._by_group[group] = t
            parts.append(f"(?P<{group}>" + gap.join(re.escape(c) for c in chars) + ")")
        body = "|".join(parts)
        self._regex = re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])", re.IGNORECASE) if parts else None

    def __bool__(self) -> bool:
        return self._regex is not None

    def finditer(self, text: str) -> Iterator[Occurrence]:
        if self._regex is None or not text:
            return
        for m in self._regex.finditer(text):
            group = m.lastgroup
            if group is not None:
                yield Occurrence(m.start(), m.end(), self._by_group[group])

    def find(self, text: str) -> list[Occurrence]:
        return list(self.finditer(text))

    def search(self, text: str) -> Occurrence | None:
        return next(self.finditer(text), None)

    def replace(self, text: str, replacement: Callable[[Occurrence, str], str]) -> str:
        """``text`` with every match replaced by ``replacement(match, matched text)``."""
        out: list[str] = []
        last = 0
        for m in self.finditer(text):
            out.append(text[last : m.start])
            out.append(replacement(m, text[m.start : m.end]))
            last = m.end
        out.append(text[last:])
        return "".join(out)
