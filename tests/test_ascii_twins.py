"""Patterns of the regex module with a twin in Python's re for ASCII text (faster there):
each twin finds exactly what its pattern finds in any ASCII text."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import regex

from disclosureguard import roles
from disclosureguard.detect import ner

TWINS = {
    "roles lower-case words": (roles._LOWER_WORD, roles._LOWER_WORD_ASCII),
    "ner lower-case runs": (ner._LOWER_RUN, ner._LOWER_RUN_ASCII),
}
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _ascii_texts() -> list[str]:
    rnd = random.Random(3)
    every = [chr(i) for i in range(128)]
    # Mostly what letters are made of, and every ASCII character (\x1c-\x1f are white space to
    # re's \s but not to the regex module's).
    common = [*"abcdefxyz ABCXYZ 0129 '-.,\n\t", "the ", "and ", "Mr ", "o'neill ", "well-being "]
    texts = []
    for _ in range(3000):
        pool = every if rnd.random() < 0.3 else common
        texts.append("".join(rnd.choice(pool if rnd.random() < 0.9 else every) for _ in range(rnd.randrange(0, 120))))
    texts += [p.read_text(errors="replace") for p in sorted(SAMPLES.rglob("*.txt"))]
    return [t for t in texts if t.isascii()]


@pytest.mark.parametrize("name", sorted(TWINS))
def test_the_ascii_twin_finds_what_the_pattern_finds(name: str) -> None:
    pattern, twin = TWINS[name]
    found = 0
    for text in _ascii_texts():
        expected = [m.span() for m in pattern.finditer(text)]
        assert [m.span() for m in twin.finditer(text)] == expected, repr(text)
        found += len(expected)
    assert found > 1000
    assert isinstance(pattern, regex.Pattern)
